using System.Text;
using System.Text.RegularExpressions;
using PasswordHashSync.Cli;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// Keytabs written by <c>pwsync keytab</c> against a real MIT KDC started on loopback: klist parses them and shows the
/// KDC's own keys, kinit -k -t obtains tickets with each encryption type, and a wrong password is refused.
/// </summary>
public sealed partial class MitKdcKeytabTests : IClassFixture<MitKdcRealm>
{
    private const string Password = "Kdc-e2e Pässwörd 1!";
    private readonly MitKdcRealm _realm;

    public MitKdcKeytabTests(MitKdcRealm realm) => _realm = realm;

    public static TheoryData<string, int> EncryptionTypes() => new()
    {
        { "aes256-cts-hmac-sha1-96", 18 },
        { "aes128-cts-hmac-sha1-96", 17 },
        { "aes256-cts-hmac-sha384-192", 20 },
        { "aes128-cts-hmac-sha256-128", 19 },
        { "arcfour-hmac", 23 },
    };

    [Fact]
    public void Klist_parses_a_pwsync_keytab_and_shows_exactly_the_keys_the_KDC_derived_itself()
    {
        _realm.AddPrincipal("klistuser", Password);
        string ours = WriteKeytab("klistuser@" + MitKdcRealm.Realm, Password, etypes: null);
        string theirs = _realm.ExportKdcKeys("klistuser");

        SortedSet<string> ourKeys = KlistKeys(ours);
        SortedSet<string> kdcKeys = KlistKeys(theirs);
        Assert.Equal(5, kdcKeys.Count);
        Assert.Equal(kdcKeys, ourKeys);
        Assert.All(ourKeys, line => Assert.StartsWith("1 klistuser@PHS.TEST ", line, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EncryptionTypes))]
    public void Kinit_with_a_pwsync_keytab_gets_a_ticket_and_the_KDC_used_that_key(string etype, int number)
    {
        string user = "user" + number;
        _realm.AddPrincipal(user, Password);
        string keytab = WriteKeytab($"{user}@{MitKdcRealm.Realm}", Password, etype);

        ExternalTool.Result kinit = _realm.KinitWithKeytab(keytab, $"{user}@{MitKdcRealm.Realm}");

        Assert.True(kinit.ExitCode == 0, $"kinit failed: {kinit.StandardError}");
        // The KDC logs the reply key's type: the AS exchange really used the key from our keytab.
        // MIT prints RC4 as DEPRECATED:arcfour-hmac.
        Assert.Matches($@"rep=(DEPRECATED:)?{Regex.Escape(etype)}\({number}\)", IssuedLine(user));
    }

    [Theory]
    [InlineData("aes256-cts-hmac-sha1-96")]
    [InlineData("arcfour-hmac")]
    [InlineData("aes128-cts-hmac-sha256-128")]
    public void Kinit_with_a_keytab_from_a_wrong_password_is_refused(string etype)
    {
        string user = "wrong-" + etype;
        _realm.AddPrincipal(user, Password);
        string keytab = WriteKeytab($"{user}@{MitKdcRealm.Realm}", Password + "x", etype);

        ExternalTool.Result kinit = _realm.KinitWithKeytab(keytab, $"{user}@{MitKdcRealm.Realm}");

        Assert.NotEqual(0, kinit.ExitCode);
        Assert.Contains("Preauthentication failed", kinit.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_two_component_service_principal_keytab_works_with_the_normal_salt()
    {
        _realm.AddPrincipal("HTTP/web.phs.test", Password);
        string keytab = WriteKeytab("HTTP/web.phs.test@" + MitKdcRealm.Realm, Password, "aes256-cts-hmac-sha1-96");
        Assert.Equal(KlistKeys(_realm.ExportKdcKeys("HTTP/web.phs.test")).First(l => l.Contains("aes256-cts-hmac-sha1-96", StringComparison.Ordinal)), Assert.Single(KlistKeys(keytab)));
        ExternalTool.Result kinit = _realm.KinitWithKeytab(keytab, "HTTP/web.phs.test@" + MitKdcRealm.Realm);
        Assert.True(kinit.ExitCode == 0, $"kinit failed: {kinit.StandardError}");
    }

    [Fact]
    public void The_pwsync_program_run_as_a_process_writes_a_keytab_kinit_accepts()
    {
        _realm.AddPrincipal("process", Password);
        string keytab = Path.Combine(_realm.Directory, "process.keytab");
        string pwsync = Path.Combine(AppContext.BaseDirectory, "pwsync.dll");
        Assert.True(File.Exists(pwsync), "pwsync.dll must be next to the tests");
        string dotnet = Environment.ProcessPath is string host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

        ExternalTool.Result run = ExternalTool.Run(
            dotnet,
            [pwsync, "keytab", "--principal", "process@" + MitKdcRealm.Realm, "--output", keytab, "--password-stdin"],
            standardInput: Password + "\n",
            timeout: TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(KlistKeys(_realm.ExportKdcKeys("process")), KlistKeys(keytab));
        Assert.Equal(0, _realm.KinitWithKeytab(keytab, "process@" + MitKdcRealm.Realm).ExitCode);
        // Keys in the clear: the file is readable by its owner only.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keytab));
        }
    }

    private string WriteKeytab(string principal, string password, string? etypes)
    {
        string path = Path.Combine(_realm.Directory, Guid.NewGuid().ToString("N") + ".keytab");
        var arguments = new List<string> { "keytab", "--principal", principal, "--output", path, "--password-stdin" };
        if (etypes is not null)
        {
            arguments.AddRange(["--etype", etypes]);
        }
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(password));
        using var output = new MemoryStream();
        using var error = new StringWriter();
        int code = CliApplication.Run(arguments, new CliContext(input, output, error));
        Assert.True(code == 0, error.ToString());
        return path;
    }

    /// <summary>klist -k -t -e -K lines reduced to "kvno principal (etype) (0xkey)", timestamps dropped.</summary>
    private SortedSet<string> KlistKeys(string keytab)
    {
        ExternalTool.Result klist = ExternalTool.Run(_realm.Klist, ["-k", "-t", "-e", "-K", keytab], environment: _realm.Environment);
        Assert.True(klist.ExitCode == 0, $"klist failed: {klist.StandardError}");
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in KlistLine().Matches(klist.StandardOutput))
        {
            keys.Add($"{match.Groups["kvno"].Value} {match.Groups["principal"].Value} ({match.Groups["etype"].Value.Replace("DEPRECATED:", string.Empty, StringComparison.Ordinal)}) ({match.Groups["key"].Value})");
        }
        return keys;
    }

    private string IssuedLine(string user)
    {
        string log = _realm.ReadKdcLog();
        return log.Split('\n').LastOrDefault(l => l.Contains("ISSUE", StringComparison.Ordinal) && l.Contains($" {user}@{MitKdcRealm.Realm} for krbtgt", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no ISSUE line for {user} in the KDC log");
    }

    [GeneratedRegex(@"^\s*(?<kvno>\d+)\s+\S+\s+\S+\s+(?<principal>\S+)\s+\((?<etype>[^)]+)\)\s+\((?<key>0x[0-9a-f]+)\)", RegexOptions.Multiline)]
    private static partial Regex KlistLine();
}
