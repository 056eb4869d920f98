using System.Text;
using PasswordHashSync.Directory;
using PasswordHashSync.PropertyTests.LdifReference;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>One account's secrets as Samba has them: its identity (read by the core's LDIF mapping) and the ntPwdHistory entries.</summary>
/// <param name="User">The account as <see cref="LdifDirectoryReader"/> maps the record (NT hash, supplementalCredentials, SID, GUID, UPN, UAC).</param>
/// <param name="NtHashHistory">The 16-byte ntPwdHistory entries, newest first, as stored.</param>
public sealed record SambaStoredAccount(DirectoryUser User, IReadOnlyList<byte[]> NtHashHistory);

/// <summary>
/// The two independent references the replicated secrets are compared with: the DC's own database read with ldbsearch
/// (as scripts/samba-onprem-fixture.sh and <see cref="SambaOnPremFixture"/> do; the records go through the core's LDIF
/// mapping), and the database Samba's own replication client (<c>samba-tool drs clone-dc-database --include-secrets</c>)
/// builds over the network from the running DC.
/// </summary>
public sealed class SambaReference
{
    private static readonly string[] s_attributes =
    [
        "objectClass", "sAMAccountName", "userPrincipalName", "objectSid", "objectGUID", "userAccountControl",
        "pwdLastSet", "adminDescription", "unicodePwd", "ntPwdHistory", "supplementalCredentials",
    ];

    private readonly ReplicationDomainController _dc;
    private readonly Lazy<IReadOnlyDictionary<string, SambaStoredAccount>> _clone;

    internal SambaReference(ReplicationDomainController dc)
    {
        _dc = dc;
        _clone = new Lazy<IReadOnlyDictionary<string, SambaStoredAccount>>(CloneWithSambaTool);
    }

    /// <summary>Every account with a sAMAccountName in the DC's own sam.ldb now, by sAMAccountName.</summary>
    /// <returns>The accounts.</returns>
    public IReadOnlyDictionary<string, SambaStoredAccount> ReadDatabase() => Read(_dc.SamLdb);

    /// <summary>
    /// The accounts as Samba's own replication client received them: <c>samba-tool drs clone-dc-database REALM
    /// --server=ADDR --include-secrets</c> as Administrator over NTLM, then ldbsearch on the clone. Run once per test run
    /// (it takes seconds) and kept; it reflects the DC at the time of the first call.
    /// </summary>
    /// <returns>The accounts.</returns>
    public IReadOnlyDictionary<string, SambaStoredAccount> ReadSambaToolClone() => _clone.Value;

    /// <summary>Runs the clone into <paramref name="targetDirectory"/> (for the benchmark too).</summary>
    /// <param name="targetDirectory">An empty or absent folder.</param>
    /// <param name="user">The account to replicate as; the clone replicates the schema and configuration NCs too, so it needs rights there (Administrator has them).</param>
    /// <param name="password">Its password, passed in the PASSWD environment variable rather than on the command line.</param>
    public void Clone(string targetDirectory, string user, string password) =>
        ReplicationDomainController.Run(
            _dc.SambaTool,
            [
                "drs", "clone-dc-database", ReplicationDomainController.Realm, "--server=" + _dc.Address, "--targetdir=" + targetDirectory,
                "--include-secrets", "--use-kerberos=off", "-U", ReplicationDomainController.NetBiosDomain + "\\" + user,
            ],
            new Dictionary<string, string> { ["PASSWD"] = password });

    /// <summary>Reads every account of an ldb database with ldbsearch.</summary>
    /// <param name="samLdb">The sam.ldb path.</param>
    /// <returns>The accounts by sAMAccountName.</returns>
    public static IReadOnlyDictionary<string, SambaStoredAccount> Read(string samLdb)
    {
        string ldif = ReplicationDomainController.Run(
            ExternalTool.Require("ldbsearch", "ldb-tools"),
            ["-H", samLdb, "-b", ReplicationDomainController.DomainDn, "(sAMAccountName=*)", .. s_attributes]);
        var accounts = new Dictionary<string, SambaStoredAccount>(StringComparer.OrdinalIgnoreCase);
        var parser = new ReferenceLdifRecordParser(new LdifReaderOptions());
        using var reader = new StringReader(ldif);
        while (true)
        {
            string? line = reader.ReadLine();
            if (parser.Accept(line) is { } record)
            {
                DirectoryUser user = ReferenceLdifReader.Map(record);
                accounts.Add(user.SamAccountName!, new SambaStoredAccount(user, History(record)));
            }

            if (line is null)
            {
                return accounts;
            }
        }
    }

    private static List<byte[]> History(ReferenceLdifRecord record)
    {
        if (!record.Attributes.TryGetValue("ntPwdHistory", out var values))
        {
            return [];
        }

        byte[] raw = values.Single().Value;
        if (raw.Length % 16 != 0)
        {
            throw new InvalidDataException($"ntPwdHistory of {record.DistinguishedName} is {raw.Length} bytes, not a multiple of 16.");
        }

        return raw.Chunk(16).ToList();
    }

    private IReadOnlyDictionary<string, SambaStoredAccount> CloneWithSambaTool()
    {
        string target = Path.Combine(_dc.Folder, "clone-" + Guid.NewGuid().ToString("N"));
        Clone(target, "Administrator", ReplicationDomainController.AdministratorPassword);
        return Read(Path.Combine(target, "private", "sam.ldb"));
    }

    /// <summary>The text form of an NT hash for assertion messages (test values only).</summary>
    /// <param name="hash">The hash.</param>
    /// <returns>Lowercase hex.</returns>
    public static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    /// <summary>UTF-8 of a string, for comparing salts.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
