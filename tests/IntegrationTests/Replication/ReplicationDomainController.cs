using System.Globalization;
using System.Net;
using System.Text;
using PasswordHashSync.IntegrationTests.Samba;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A running Samba AD DC for the replication tests, provisioned once per test run on its own loopback address
/// (<see cref="LoopbackAddress.Allocate"/>, so two runs on one host never answer each other's clients): the accounts
/// of <see cref="ReplicationTestAccount.Create"/> with known passwords, a replication account holding both rights,
/// a user with only "Replicating Directory Changes", and an ordinary user. Stopped by its process id on dispose.
/// </summary>
/// <remarks>
/// Secrets are stored in plain text at rest (<c>--plaintext-secrets</c>) so <see cref="SambaReference"/> can read them
/// with ldbsearch the way scripts/samba-onprem-fixture.sh does; the DC encrypts them on the wire as always.
/// </remarks>
public sealed class ReplicationDomainController : IDisposable
{
    /// <summary>The Kerberos realm.</summary>
    public const string Realm = "REPL.EXAMPLE.TEST";

    /// <summary>The DNS domain.</summary>
    public const string DnsDomain = "repl.example.test";

    /// <summary>The NetBIOS domain name.</summary>
    public const string NetBiosDomain = "REPLEXAMPLE";

    /// <summary>The domain naming context.</summary>
    public const string DomainDn = "DC=repl,DC=example,DC=test";

    /// <summary>The DC's host name.</summary>
    public const string HostName = "rdc";

    /// <summary>The Administrator's test password.</summary>
    public const string AdministratorPassword = "Adm1n-Repl-Fixture!";

    /// <summary>A dedicated account granted Get-Changes and Get-Changes-All on the domain NC (only there).</summary>
    public static readonly (string Name, string Password) Replicator = ("repl.agent", "Repl-Agent-Pa55!");

    /// <summary>A user granted Get-Changes only.</summary>
    public static readonly (string Name, string Password) GetChangesOnly = ("getchanges.only", "GetChanges-Pa55!");

    /// <summary>An ordinary domain user with no replication right.</summary>
    public static readonly (string Name, string Password) PlainUser = ("plain.user", "Plain-User-Pa55!");

    /// <summary>
    /// Users whose passwords the incremental and fault tests change (first password here). Kept apart from
    /// <see cref="Accounts"/>, which the comparison with the once-taken samba-tool clone relies on being unchanged.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Password)> MutableUsers =
        [("mutable.alpha", "Mutable-Alpha-0"), ("mutable.beta", "Mutable-Beta-0"), ("mutable.gamma", "Mutable-Gamma-0"), ("mutable.delta", "Mutable-Delta-0")];

    /// <summary>DS-Replication-Get-Changes (MS-ADTS 5.1.3.2.1; reference-drsr.md §8).</summary>
    public const string GetChangesRight = "1131f6aa-9c07-11d1-f79f-00c04fc2dcd2";

    /// <summary>DS-Replication-Get-Changes-All.</summary>
    public const string GetChangesAllRight = "1131f6ad-9c07-11d1-f79f-00c04fc2dcd2";

    private readonly SambaDomainController _dc;

    /// <summary>Provisions the domain, creates the accounts and the rights, and starts the DC.</summary>
    public ReplicationDomainController()
    {
        ExternalTool.Require("ldbsearch", "ldb-tools");
        ExternalTool.Require("ldbmodify", "ldb-tools");
        Accounts = ReplicationTestAccount.Create(DnsDomain);
        _dc = new SambaDomainController(new SambaDomainOptions
        {
            Realm = Realm,
            NetBiosDomain = NetBiosDomain,
            HostName = HostName,
            AdministratorPassword = AdministratorPassword,
            FolderPrefix = "phs-repl-dc-",
            PlaintextSecrets = true,
        });
        CreateAccounts();
        _dc.Start(SambaDomainController.ServicePorts);
        Reference = new SambaReference(this);
    }

    /// <summary>The DC's loopback address.</summary>
    public IPAddress Address => _dc.Address;

    /// <summary>The temporary folder holding the DC (removed on dispose).</summary>
    public string Folder => _dc.Folder;

    /// <summary>The DC's smb.conf.</summary>
    public string SmbConf => _dc.SmbConf;

    /// <summary>The DC's sam.ldb.</summary>
    public string SamLdb => _dc.SamLdb;

    /// <summary>The path of samba-tool.</summary>
    public string SambaTool => _dc.SambaTool;

    /// <summary>The accounts with known passwords (not the three rights accounts).</summary>
    public IReadOnlyList<ReplicationTestAccount> Accounts { get; }

    /// <summary>Samba's own view of the secrets: its database and its own replication client.</summary>
    public SambaReference Reference { get; }

    /// <summary>Sets a new password with samba-tool on the running DC's database (the change gets a new USN).</summary>
    /// <param name="samAccountName">The account.</param>
    /// <param name="newPassword">The new test password (not empty: samba-tool refuses that).</param>
    public void SetPassword(string samAccountName, string newPassword) =>
        SambaToolLocal("user", "setpassword", samAccountName, "--newpassword=" + newPassword);

    /// <summary>Runs samba-tool against the DC's database file.</summary>
    /// <param name="arguments">The sub-command and its arguments.</param>
    /// <returns>The standard output.</returns>
    public string SambaToolLocal(params string[] arguments) => _dc.SambaToolLocal(arguments);

    /// <summary>Applies an LDIF change to the DC's database with ldbmodify.</summary>
    /// <param name="ldif">The change records.</param>
    public void Modify(string ldif)
    {
        string file = Path.Combine(Folder, "edit-" + Guid.NewGuid().ToString("N") + ".ldif");
        File.WriteAllText(file, ldif, new UTF8Encoding(false));
        Run(ExternalTool.Require("ldbmodify", "ldb-tools"), ["-H", SamLdb, file]);
        File.Delete(file);
    }

    /// <summary>The distinguished name of an account (they all live in CN=Users or CN=Computers).</summary>
    /// <param name="samAccountName">The account.</param>
    /// <returns>The DN.</returns>
    public static string DistinguishedNameOf(string samAccountName) => samAccountName.EndsWith('$')
        ? "CN=" + samAccountName[..^1] + ",CN=Computers," + DomainDn
        : "CN=" + samAccountName + ",CN=Users," + DomainDn;

    /// <summary>Stops the DC (and its children) by process id and removes the folder.</summary>
    public void Dispose() => _dc.Dispose();

    /// <summary>Runs a tool and fails loudly, with its output, when it exits with a code other than 0.</summary>
    /// <param name="tool">The tool's path.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <returns>The standard output.</returns>
    internal static string Run(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        SambaDomainController.RunOrThrow(tool, arguments, environment);

    private void CreateAccounts()
    {
        // History 24 (the default) keeps every password of history.user; the empty password needs length 0.
        SambaToolLocal("domain", "passwordsettings", "set", "--complexity=off", "--min-pwd-length=0", "--min-pwd-age=0", "--history-length=24", "--store-plaintext=on");
        foreach (ReplicationTestAccount account in Accounts)
        {
            if (account.Kind == ReplicationTestAccountKind.Computer)
            {
                SambaToolLocal("computer", "create", account.SamAccountName[..^1]);
                SetPassword(account.SamAccountName, account.Passwords[0]);
            }
            else
            {
                SambaToolLocal("user", "create", account.SamAccountName, account.Passwords[0], "--use-username-as-cn");
            }

            // The edits the sample's script makes (scripts/samba-onprem-fixture.sh), before the later passwords so that
            // CarolW's second password is salted with her new UPN and ivan's is stored reversibly.
            string dn = DistinguishedNameOf(account.SamAccountName);
            if (account.Kind == ReplicationTestAccountKind.User)
            {
                Modify(account.UserPrincipalName is null
                    ? $"dn: {dn}\nchangetype: modify\ndelete: userPrincipalName\n"
                    : $"dn: {dn}\nchangetype: modify\nreplace: userPrincipalName\nuserPrincipalName: {account.UserPrincipalName}\n");
            }

            switch (account.SamAccountName)
            {
                case "heidi.filtered":
                    Modify($"dn: {dn}\nchangetype: modify\nreplace: adminDescription\nadminDescription: PHSFiltered\n");
                    break;
                case "ivan.reversible":
                    Modify($"dn: {dn}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 640\n");
                    break;
            }

            foreach (string password in account.Passwords.Skip(1))
            {
                if (password.Length == 0)
                {
                    // unicodePwd takes the password in double quotes, UTF-16LE: '""' is the empty password.
                    Modify($"dn: {dn}\nchangetype: modify\nreplace: unicodePwd\nunicodePwd:: {Convert.ToBase64String(Encoding.Unicode.GetBytes("\"\""))}\n");
                }
                else
                {
                    SetPassword(account.SamAccountName, password);
                }
            }

            switch (account.SamAccountName)
            {
                case "frank.temp":
                    Modify($"dn: {dn}\nchangetype: modify\nreplace: pwdLastSet\npwdLastSet: 0\n");
                    break;
                case "grace.disabled":
                    SambaToolLocal("user", "disable", account.SamAccountName);
                    break;
            }
        }

        foreach ((string name, string password) in new[] { Replicator, GetChangesOnly, PlainUser }.Concat(MutableUsers))
        {
            SambaToolLocal("user", "create", name, password, "--use-username-as-cn");
        }

        string replicatorSid = SidOf(Replicator.Name);
        string getChangesSid = SidOf(GetChangesOnly.Name);
        SambaToolLocal("dsacl", "set", "--objectdn=" + DomainDn, string.Create(CultureInfo.InvariantCulture,
            $"--sddl=(OA;;CR;{GetChangesRight};;{replicatorSid})(OA;;CR;{GetChangesAllRight};;{replicatorSid})(OA;;CR;{GetChangesRight};;{getChangesSid})"));
    }

    /// <summary>The objectSid of an account, as text, read from the DC's database.</summary>
    /// <param name="samAccountName">The account.</param>
    /// <returns>The SID.</returns>
    public string SidOf(string samAccountName)
    {
        string output = Run(ExternalTool.Require("ldbsearch", "ldb-tools"), ["-H", SamLdb, "-b", DomainDn, $"(sAMAccountName={samAccountName})", "objectSid"]);
        string line = output.Split('\n').Single(l => l.StartsWith("objectSid: ", StringComparison.Ordinal));
        return line["objectSid: ".Length..].Trim();
    }
}

/// <summary>Every replication test shares one DC: provisioning costs seconds, and the tests only read or change distinct users.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReplicationDomainControllerGroup : ICollectionFixture<ReplicationDomainController>
{
    /// <summary>The collection name.</summary>
    public const string Name = "Replication from a live Samba DC";
}
