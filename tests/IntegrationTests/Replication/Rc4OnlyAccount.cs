using System.Globalization;
using System.Text.Json;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A replication account on the shared DC whose only Kerberos key is RC4-HMAC: created with samba-tool (so it first has
/// AES keys too), then its supplementalCredentials deleted through Samba's DSDB bypass-password-hash control
/// (1.3.6.1.4.1.7165.4.3.12, with SambaManagedDomainWriteCredentials.py, which leaves unicodePwd as the NT hash of the
/// same password). The KDC then holds the NT hash alone, which is the RC4 key, as for an account whose password was
/// last set before the domain had AES. It holds both replication rights so a successful sign-in can replicate.
/// </summary>
internal static class Rc4OnlyAccount
{
    /// <summary>The account and its password.</summary>
    public static readonly (string Name, string Password) Account = ("rc4.only.agent", "Rc4-Only-Pa55!");

    private static readonly Lock s_lock = new();
    private static readonly HashSet<string> s_created = [];

    /// <summary>Creates the account once per DC (the fixture is shared by the collection).</summary>
    /// <param name="dc">The DC.</param>
    /// <returns>The account.</returns>
    public static (string Name, string Password) Ensure(ReplicationDomainController dc)
    {
        lock (s_lock)
        {
            if (!s_created.Contains(dc.Folder))
            {
                Create(dc);
                s_created.Add(dc.Folder);
            }
        }

        return Account;
    }

    private static void Create(ReplicationDomainController dc)
    {
        if (!ReplicationDomainController.Run(ExternalTool.Require("ldbsearch", "ldb-tools"), ["-H", dc.SamLdb, "-b", ReplicationDomainController.DomainDn, $"(sAMAccountName={Account.Name})", "dn"])
            .Contains("dn: ", StringComparison.Ordinal))
        {
            dc.SambaToolLocal("user", "create", Account.Name, Account.Password, "--use-username-as-cn");
        }

        string request = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["samdb"] = dc.SamLdb,
            ["smbconf"] = dc.SmbConf,
            ["users"] = new[] { new Dictionary<string, object> { ["name"] = Account.Name, ["ntHash"] = Convert.ToHexStringLower(NtHash.Compute(Account.Password)) } },
        });
        string python = SambaManagedDomain.SambaPython(dc.SambaTool);
        string script = Path.Combine(AppContext.BaseDirectory, "SambaManagedDomainWriteCredentials.py");
        ExternalTool.Result result = ExternalTool.Run(python, [script], standardInput: request, timeout: TimeSpan.FromSeconds(120));
        if (result.ExitCode != 0 || !result.StandardOutput.StartsWith("ok ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"deleting the supplementalCredentials failed: {result.StandardError}{result.StandardOutput}");
        }

        string sid = dc.SidOf(Account.Name);
        dc.SambaToolLocal("dsacl", "set", "--objectdn=" + ReplicationDomainController.DomainDn, string.Create(CultureInfo.InvariantCulture,
            $"--sddl=(OA;;CR;{ReplicationDomainController.GetChangesRight};;{sid})(OA;;CR;{ReplicationDomainController.GetChangesAllRight};;{sid})"));

        // The account really has no AES key left: Samba's database holds no supplementalCredentials for it.
        string stored = ReplicationDomainController.Run(ExternalTool.Require("ldbsearch", "ldb-tools"),
            ["-H", dc.SamLdb, "-b", ReplicationDomainController.DomainDn, $"(sAMAccountName={Account.Name})", "supplementalCredentials", "unicodePwd"]);
        if (stored.Contains("supplementalCredentials", StringComparison.Ordinal) || !stored.Contains("unicodePwd", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the RC4-only account still has supplementalCredentials, or lost its NT hash.");
        }
    }
}
