using Microsoft.Extensions.Configuration;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Ntlm;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>
/// The DomainController source's Kerberos settings (Auth, Kdc, Realm, KeytabFile): each validated with one line naming
/// the setting, the credential made by the same rules as <c>pwsync replicate</c>, and the keytab read like the password
/// file (no symbolic link, no access for group or others, owned by the agent's user) and again at every later sign-in.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the file checks are on Unix modes and owners
public sealed class AgentKerberosSettingsTests : IDisposable
{
    private const string Dc = "Agent:Source:DomainController:";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("phs-agent-krb-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ByDefault_ThePasswordSignsInWithNegotiate_KerberosAtTheDcOnPort88_InTheUpperCasedDnsDomain()
    {
        using ReplicationCredential credential = Create(WithPassword());

        NegotiateCredential negotiate = Assert.IsType<NegotiateCredential>(credential);
        Assert.Equal("dc1.corp.example.com:88", negotiate.Kerberos.Kdc);
        Assert.Equal("CORP.EXAMPLE.COM", negotiate.Kerberos.Domain);
        Assert.Equal("svc", negotiate.Kerberos.UserName);
        Assert.False(negotiate.Kerberos.AllowRc4);
        Assert.Equal("corp.example.com\\svc", negotiate.ToString());
    }

    [Theory]
    [InlineData("Negotiate", typeof(NegotiateCredential))]
    [InlineData("negotiate", typeof(NegotiateCredential))]
    [InlineData(" Kerberos ", typeof(KerberosCredential))]
    [InlineData("KERBEROS", typeof(KerberosCredential))]
    [InlineData("Ntlm", typeof(NtlmCredential))]
    [InlineData("NTLM", typeof(NtlmCredential))]
    public void Auth_ChoosesTheMechanism(string auth, Type expected)
    {
        using ReplicationCredential credential = Create(WithPassword(("Auth", auth)));

        Assert.IsType(expected, credential);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("1")]
    [InlineData("Negotiate,Kerberos")]
    [InlineData("spnego")]
    public void BadAuth_IsRefusedNamingTheValues(string auth)
    {
        string problem = Assert.Single(Bind(WithPassword(("Auth", auth))).Validate());

        Assert.Equal(Dc + "Auth is '" + auth + "': it must be Negotiate (the default: Kerberos first, NTLM only when Kerberos is not possible), Kerberos or Ntlm.", problem);
    }

    [Theory]
    [InlineData("dc1.corp.example.com", null, "dc1.corp.example.com:88")]
    [InlineData("127.25.0.1:49152", null, "127.25.0.1:88")]
    [InlineData("[::1]:1024", null, "[::1]:88")]
    [InlineData("dc1", "kdc1.corp.example.com", "kdc1.corp.example.com:88")]
    [InlineData("dc1", "kdc1:8888", "kdc1:8888")]
    [InlineData("dc1", "[fd00::5]:750", "[fd00::5]:750")]
    [InlineData("dc1", "fd00::5", "[fd00::5]:88")]
    public void Kdc_IsTheGivenHostAndPort_ElseTheDcOnPort88(string host, string? kdc, string expected)
    {
        Dictionary<string, string?> values = WithPassword(("Host", host), ("Auth", "Kerberos"));
        values[Dc + "Kdc"] = kdc;

        using ReplicationCredential credential = Create(values);

        Assert.Equal(expected, Assert.IsType<KerberosCredential>(credential).Kdc);
    }

    [Theory]
    [InlineData("kdc1:0", "the port must be a number from 1 to 65535 (the KDC's port (88 when left out)).")]
    [InlineData("kdc1:x", "the port must be a number from 1 to 65535")]
    [InlineData("kdc 1", "it must be HOST, HOST:PORT or [IPv6]:PORT.")]
    [InlineData("[::1", "it must be HOST, HOST:PORT or [IPv6]:PORT.")]
    public void BadKdc_IsRefusedWithTheForm(string kdc, string expected)
    {
        string problem = Assert.Single(Bind(WithPassword(("Kdc", kdc))).Validate());

        Assert.StartsWith(Dc + "Kdc is '" + kdc + "': ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("svc", null, "CORP.EXAMPLE.COM")]
    [InlineData("CORP\\svc", null, "CORP.EXAMPLE.COM")] // a NetBIOS domain is no realm
    [InlineData("svc@other.example.com", null, "OTHER.EXAMPLE.COM")]
    [InlineData("svc", "Res.Example.Com", "RES.EXAMPLE.COM")]
    public void Realm_IsTheGivenOne_ElseTheUpnDomain_ElseTheDnsDomain_UpperCased(string user, string? realm, string expected)
    {
        Dictionary<string, string?> values = WithPassword(("User", user), ("Auth", "Kerberos"));
        values[Dc + "Realm"] = realm;

        using ReplicationCredential credential = Create(values);

        Assert.Equal(expected, Assert.IsType<KerberosCredential>(credential).Domain);
    }

    [Theory]
    [InlineData("CORP EXAMPLE")]
    [InlineData("svc@CORP.EXAMPLE.COM")]
    [InlineData("krbtgt/CORP")]
    [InlineData("CORP\\X")]
    public void BadRealm_IsRefused(string realm)
    {
        string problem = Assert.Single(Bind(WithPassword(("Realm", realm))).Validate());

        Assert.StartsWith(Dc + "Realm is '" + realm + "': it must be a Kerberos realm such as CORP.EXAMPLE.COM", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Ntlm_RefusesTheKerberosSettings_AndAKeytab()
    {
        List<string> problems = Bind(WithPassword(("Auth", "Ntlm"), ("Kdc", "kdc1"), ("Realm", "CORP.EXAMPLE.COM"))).Validate();
        Assert.Equal(Dc + "Kdc and Realm are for Kerberos; they cannot be set with Auth = Ntlm.", Assert.Single(problems));

        problems = Bind(WithKeytab("/etc/pwsync/agent.keytab", ("Auth", "ntlm"))).Validate();
        Assert.StartsWith(Dc + "KeytabFile holds Kerberos keys; it cannot sign in with Auth = Ntlm", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void AllowRc4_IsOffByDefault_ReachesTheKerberosCredential_AndIsRefusedWithNtlm()
    {
        using (ReplicationCredential byDefault = Create(WithPassword(("Auth", "Kerberos"))))
        {
            Assert.False(Assert.IsType<KerberosCredential>(byDefault).AllowRc4);
        }

        using (ReplicationCredential kerberos = Create(WithPassword(("Auth", "Kerberos"), ("AllowRc4", "true"))))
        {
            Assert.True(Assert.IsType<KerberosCredential>(kerberos).AllowRc4);
        }

        using (ReplicationCredential negotiate = Create(WithPassword(("AllowRc4", "true"))))
        {
            Assert.True(Assert.IsType<NegotiateCredential>(negotiate).Kerberos.AllowRc4);
        }

        List<string> problems = Bind(WithPassword(("Auth", "Ntlm"), ("AllowRc4", "true"))).Validate();
        Assert.Equal(Dc + "AllowRc4 is for Kerberos; it cannot be set with Auth = Ntlm.", Assert.Single(problems));
    }

    [Fact]
    public void KeytabFile_NeedsNoPassword_ButRefusesOneBeside()
    {
        Assert.Empty(Bind(WithKeytab("/etc/pwsync/agent.keytab")).Validate());

        Dictionary<string, string?> both = WithKeytab("/etc/pwsync/agent.keytab");
        both[Dc + "PasswordFile"] = "/etc/pwsync/dc-password";
        Assert.Equal(Dc + "KeytabFile and " + Dc + "PasswordFile are both set: give the keytab or a password, not both.", Assert.Single(Bind(both).Validate()));

        Dictionary<string, string?> environment = WithKeytab("/etc/pwsync/agent.keytab");
        environment[Dc + "Password"] = "Secret-In-Env-2";
        string problem = Assert.Single(Bind(environment).Validate());
        Assert.Equal(Dc + "KeytabFile and the environment variable " + DomainControllerSourceOptions.PasswordEnvironmentVariable + " are both set: give the keytab or a password, not both.", problem);

        Dictionary<string, string?> none = WithKeytab("  ");
        Assert.Contains(Dc + "KeytabFile (Kerberos keys, no password)", Assert.Single(Bind(none).Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void KeytabFile_RelativeToTheConfigurationFile_AndFromTheEnvironment()
    {
        string json = Path.Combine(_directory, "agent.json");
        File.WriteAllText(json, """
            { "Agent": { "StatePath": "s.json", "OutboxDirectory": "o", "Source": { "Kind": "DomainController",
              "DomainController": { "Host": "dc1", "Domain": "corp.example.com", "User": "svc", "Auth": "Kerberos", "KeytabFile": "keys/agent.keytab" } } } }
            """);

        (_, AgentOptions options) = AgentConfiguration.Load(json);

        Assert.Equal(Path.Combine(_directory, "keys", "agent.keytab"), options.DomainController.KeytabFile);
        Assert.Equal("Kerberos", options.DomainController.Auth);
    }

    [Theory]
    [InlineData("Negotiate", typeof(NegotiateCredential))]
    [InlineData("Kerberos", typeof(KerberosCredential))]
    public void Keytab_OnlyTheOwnerMayRead_IsTaken(string auth, Type expected)
    {
        string keytab = Keytab("svc", "CORP.EXAMPLE.COM", "Pa55-1", 1, UnixFileMode.UserRead);

        using ReplicationCredential credential = Create(WithKeytab(keytab, ("Auth", auth)));

        Assert.IsType(expected, credential);
        KerberosCredential kerberos = credential as KerberosCredential ?? ((NegotiateCredential)credential).Kerberos;
        Assert.Equal("CORP.EXAMPLE.COM", kerberos.Domain);
        Assert.Equal("dc1.corp.example.com:88", kerberos.Kdc);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherWrite, "0402")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupExecute, "0410")]
    public void Keytab_ReadableOrWritableByOthers_IsRefused(UnixFileMode mode, string octal)
    {
        string keytab = Keytab("svc", "CORP.EXAMPLE.COM", "Pa55-1", 1, mode);

        DataException e = Assert.Throws<DataException>(() => Create(WithKeytab(keytab)));

        Assert.Equal($"the keytab {keytab} may be read or written by its group or others (mode {octal}); only the agent's user may read it: run chmod 600 '{keytab}' (or give it as a systemd credential, LoadCredential=)", e.Message);
    }

    [Fact]
    public void Keytab_ThroughASymbolicLink_IsRefused_AndSoIsAPasswordFile()
    {
        string keytab = Keytab("svc", "CORP.EXAMPLE.COM", "Pa55-1", 1, OwnerOnly);
        string link = Path.Combine(_directory, "link.keytab");
        File.CreateSymbolicLink(link, keytab);

        DataException e = Assert.Throws<DataException>(() => Create(WithKeytab(link)));
        Assert.Equal($"the keytab {link} ({Dc}KeytabFile) is a symbolic link (to {keytab}); give the file itself: a link may be pointed at another file", e.Message);

        string password = Path.Combine(_directory, "dc-password");
        File.WriteAllText(password, "Dc-Pa55word\n");
        File.SetUnixFileMode(password, OwnerOnly);
        string passwordLink = Path.Combine(_directory, "dc-password-link");
        File.CreateSymbolicLink(passwordLink, password);
        e = Assert.Throws<DataException>(() => Create(Base(("PasswordFile", passwordLink))));
        Assert.StartsWith($"the password file {passwordLink} ({Dc}PasswordFile) is a symbolic link", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Dc-Pa55word", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretFile_OwnedByAnotherUser_IsRefused()
    {
        string keytab = Keytab("svc", "CORP.EXAMPLE.COM", "Pa55-1", 1, OwnerOnly);
        uint self = NativeMethods.GetEffectiveUserId();

        // The file's owner, as statx reads it, is the user that wrote it: accepted for that user, refused for any other.
        byte[] bytes = AgentSecretFile.ReadAll(keytab, "keytab", Dc + "KeytabFile", 1024, new SecretFileOwner(self, null));
        Assert.Equal(0x05, bytes[0]);
        uint other = self + 1;
        DataException e = Assert.Throws<DataException>(() => AgentSecretFile.ReadAll(keytab, "keytab", Dc + "KeytabFile", 1024, new SecretFileOwner(other, null)));

        Assert.Equal($"the keytab {keytab} is owned by uid {self}, not by the agent's user (uid {other}); its owner could change its mode: run chown {other} '{keytab}' as root (or give it as a systemd credential, LoadCredential=)", e.Message);
    }

    // systemd on a tmpfs delivers a credential root:root 0440 with an ACL for the service's user. The tests run as root
    // (as the Samba tests must), so the files written here are root:root; the agent's user is another uid.
    [Fact]
    public void SystemdCredential_RootOwned0440_IsTakenOnlyInsideTheCredentialsDirectory()
    {
        Assert.Equal(0u, NativeMethods.GetEffectiveUserId());
        string credentials = System.IO.Directory.CreateDirectory(Path.Combine(_directory, "credentials")).FullName;
        string keytab = Keytab("svc", "CORP.EXAMPLE.COM", "Pa55-1", 1, UnixFileMode.UserRead | UnixFileMode.GroupRead, Path.Combine(credentials, "agent.keytab"));
        var agentUser = new SecretFileOwner(990, credentials);

        Assert.Equal(0x05, AgentSecretFile.ReadAll(keytab, "keytab", Dc + "KeytabFile", 1024, agentUser)[0]);

        // Outside systemd, or in another directory, the same file is refused for its group bit.
        DataException e = Assert.Throws<DataException>(() => AgentSecretFile.ReadAll(keytab, "keytab", Dc + "KeytabFile", 1024, agentUser with { CredentialsDirectory = null }));
        Assert.Contains("(mode 0440)", e.Message, StringComparison.Ordinal);
        Assert.Throws<DataException>(() => AgentSecretFile.ReadAll(keytab, "keytab", Dc + "KeytabFile", 1024, agentUser with { CredentialsDirectory = _directory }));

        // Readable by others or writable by the group is never a systemd credential.
        foreach (UnixFileMode loose in new[] { UnixFileMode.OtherRead, UnixFileMode.GroupWrite })
        {
            File.SetUnixFileMode(keytab, UnixFileMode.UserRead | UnixFileMode.GroupRead | loose);
            Assert.Throws<DataException>(() => AgentSecretFile.ReadAll(keytab, "keytab", Dc + "KeytabFile", 1024, agentUser));
        }
    }

    [Fact]
    public void Keytab_MissingMalformedTooLongOrForAnotherPrincipal_IsAClearConfigurationError()
    {
        string missing = Path.Combine(_directory, "absent.keytab");
        DataException e = Assert.Throws<DataException>(() => Create(WithKeytab(missing)));
        Assert.StartsWith($"cannot read the keytab {missing} ({Dc}KeytabFile): ", e.Message, StringComparison.Ordinal);

        string malformed = Path.Combine(_directory, "malformed.keytab");
        File.WriteAllText(malformed, "not a keytab");
        File.SetUnixFileMode(malformed, OwnerOnly);
        e = Assert.Throws<DataException>(() => Create(WithKeytab(malformed)));
        Assert.Equal($"cannot use the keytab {malformed} ({Dc}KeytabFile): Not an MIT keytab of format 0x0502 (the file must start with 05 02).", e.Message);

        string large = Path.Combine(_directory, "large.keytab");
        File.WriteAllBytes(large, [0x05, 0x02, .. new byte[DomainControllerCredentialReader.MaxKeytabBytes]]);
        File.SetUnixFileMode(large, OwnerOnly);
        e = Assert.Throws<DataException>(() => Create(WithKeytab(large)));
        Assert.Equal($"the keytab {large} is longer than {DomainControllerCredentialReader.MaxKeytabBytes} bytes", e.Message);

        string otherPrincipal = Keytab("someone.else", "CORP.EXAMPLE.COM", "Pa55-1", 1, OwnerOnly);
        e = Assert.Throws<DataException>(() => Create(WithKeytab(otherPrincipal)));
        Assert.Equal($"cannot use the keytab {otherPrincipal} ({Dc}KeytabFile): The keytab holds no key for svc@CORP.EXAMPLE.COM.", e.Message);
    }

    // The keys behind the agent's keytab credential: the file is read at start and again before every later sign-in,
    // with the same checks, so a rotated keytab (kvno 2) is used without a restart and a loosened mode stops the next one.
    [Fact]
    public void Keytab_IsReadAgainWithTheSameChecks_BeforeEveryLaterSignIn()
    {
        string keytab = Keytab("svc", "CORP.EXAMPLE.COM", "Pa55-1", 1, OwnerOnly);
        using var keys = new KeytabClientKeys(
            () => KeytabReader.Read(AgentSecretFile.ReadAll(keytab, "keytab", Dc + "KeytabFile", DomainControllerCredentialReader.MaxKeytabBytes)), "svc", "CORP.EXAMPLE.COM");
        Assert.Equal(Aes256("Pa55-1"), KeyOf(keys));

        Keytab("svc", "CORP.EXAMPLE.COM", "Pa55-2", 2, OwnerOnly, keytab);
        keys.Reload(); // the first sign-in: the keys just read
        Assert.Equal(Aes256("Pa55-1"), KeyOf(keys));
        keys.Reload(); // a later one: the rotated file
        Assert.Equal(Aes256("Pa55-2"), KeyOf(keys));

        File.SetUnixFileMode(keytab, OwnerOnly | UnixFileMode.OtherRead);
        KerberosException e = Assert.Throws<KerberosException>(keys.Reload);
        Assert.Equal($"Cannot sign in again as svc@CORP.EXAMPLE.COM: the keytab could not be read again: the keytab {keytab} may be read or written by its group or others (mode 0604); only the agent's user may read it: run chmod 600 '{keytab}' (or give it as a systemd credential, LoadCredential=)", e.Message);
        Assert.False(e.IsKerberosUnavailable); // negotiate does not fall back to NTLM for a broken keytab
        Assert.Equal(Aes256("Pa55-2"), KeyOf(keys));
    }

    private static byte[] Aes256(string password)
    {
        using KerberosKey key = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, password, "CORP.EXAMPLE.COMsvc"u8.ToArray());
        return key.Key.ToArray();
    }

    private static byte[] KeyOf(KeytabClientKeys keys)
    {
        using PasswordHashSync.Replication.Kerberos.Asn1.EncryptionKey key = keys.GetKey(18, null, null, "CORP.EXAMPLE.COM", PasswordHashSync.Replication.Kerberos.Asn1.KerberosPrincipalName.User("svc"))!;
        return key.Value.ToArray();
    }

    private static ReplicationCredential Create(Dictionary<string, string?> values)
    {
        AgentOptions options = Bind(values);
        Assert.Empty(options.Validate());
        return DomainControllerCredentialReader.Create(options.DomainController);
    }

    private static AgentOptions Bind(Dictionary<string, string?> values) =>
        AgentOptions.Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    private static Dictionary<string, string?> Base(params (string Key, string Value)[] overrides)
    {
        var values = new Dictionary<string, string?>
        {
            ["Agent:StatePath"] = "/tmp/s.json",
            ["Agent:OutboxDirectory"] = "/tmp/o",
            ["Agent:Source:Kind"] = "DomainController",
            [Dc + "Host"] = "dc1.corp.example.com",
            [Dc + "Domain"] = "corp.example.com",
            [Dc + "User"] = "svc",
        };
        foreach ((string key, string value) in overrides)
        {
            values[Dc + key] = value;
        }

        return values;
    }

    // The password from the environment variable (the password file's checks have their own tests).
    private static Dictionary<string, string?> WithPassword(params (string Key, string Value)[] overrides) => Base([("Password", "Secret-In-Env-1"), .. overrides]);

    private static Dictionary<string, string?> WithKeytab(string keytab, params (string Key, string Value)[] overrides) => Base([("KeytabFile", keytab), .. overrides]);

    // An AES256 keytab written by the project's KeytabWriter (the DC's salt for a user: REALM + name).
    private string Keytab(string name, string realm, string password, int kvno, UnixFileMode mode, string? path = null)
    {
        path ??= Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".keytab");
        using KerberosKey key = KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, password, System.Text.Encoding.UTF8.GetBytes(realm + name));
        KeytabWriter.WriteFile(path, [new KeytabEntry(realm, [name], key, kvno, DateTimeOffset.UnixEpoch)]);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
