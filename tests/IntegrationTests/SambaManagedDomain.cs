using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using PasswordHashSync.Cli;
using PasswordHashSync.IntegrationTests.Samba;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// A freshly provisioned Samba AD DC playing the managed domain of the bundled sample's domain (PHS.EXAMPLE.TEST),
/// provisioned and started by <see cref="SambaDomainController"/> (its own loopback address and pid directory, so it
/// never meets another run's DC or another DC fixture). Users are created with random passwords; then their
/// unicodePwd and supplementalCredentials are replaced with what PasswordHashSync produces from the on-prem side:
/// <c>pwsync sync</c> with the managed domain enabled, run on the bundled sample (a real Samba AD export) and on an
/// export generated from passwords, then the library's supplementalCredentials writer. Then the DC is started.
/// The DC is stopped by its process id (with its smbd and winbindd children) on dispose.
/// </summary>
public sealed class SambaManagedDomain : IDisposable
{
    /// <summary>The realm.</summary>
    public const string Realm = "PHS.EXAMPLE.TEST";

    /// <summary>The NetBIOS domain name.</summary>
    public const string NetBiosDomain = "PHSEXAMPLE";

    private readonly SambaDomainController _dc;

    /// <summary>
    /// The users written into the DC: name, password, UPN, where their credentials come from, and for the control user
    /// the other password its Kerberos keys are derived from.
    /// </summary>
    public static IReadOnlyList<ManagedUser> Users { get; } =
    [
        // From the bundled sample (samples/directory.ldif, a real Samba DC's export; passwords from its manifest).
        SampleUser("Alice.Smith"),   // password changed once: old keys present in the on-prem blob
        SampleUser("CarolW"),        // UPN prefix differs: the on-prem keys are salted with carol.white
        SampleUser("dave.nonascii"), // non-ASCII password
        SampleUser("Emoji.User"),    // surrogate pair in the password
        // From an export generated from a password by the library (SupplementalCredentialsGenerator).
        new("synced.gen", "Synced-Pa$$w0rd-1", "synced.gen@phs.example.test", ManagedUserSource.Generated, null),
        // Control: the right NT hash, AES keys from another password, packed by Samba's own NDR code. Only RC4 and
        // NTLM may succeed with the password: the KDC really takes its AES keys from the supplementalCredentials.
        new("control.mallory", "Mallory-Right-Pa$$w0rd", null, ManagedUserSource.Control, "Mallory-Other-Pa$$w0rd"),
    ];

    /// <summary>Provisions the domain, writes the users' credentials, and starts the DC.</summary>
    public SambaManagedDomain()
    {
        Kinit = ExternalTool.Require("kinit", "krb5-user");
        Smbclient = ExternalTool.Require("smbclient", "smbclient");
        _dc = new SambaDomainController(new SambaDomainOptions
        {
            Realm = Realm,
            NetBiosDomain = NetBiosDomain,
            HostName = "mdc",
            AdministratorPassword = "Adm1n-" + Guid.NewGuid().ToString("N"),
            FolderPrefix = "phs-managed-dc-",
            SharesReadByDomainUsers = true, // SmbclientNtlm lists the netlogon share
            ServesSmb = true,
        });
        WriteCredentials(SambaPython(_dc.SambaTool));
        _dc.Start(88, SambaDomainController.SmbPort);
    }

    /// <summary>The loopback address the DC listens on (KDC 88, LDAP 389, SMB 445).</summary>
    public IPAddress Address => _dc.Address;

    /// <summary>The temporary folder.</summary>
    public string Directory => _dc.Folder;

    /// <summary>The DC's smb.conf.</summary>
    public string SmbConf => _dc.SmbConf;

    /// <summary>The path of kinit.</summary>
    public string Kinit { get; }

    /// <summary>The path of smbclient.</summary>
    public string Smbclient { get; }

    /// <summary>Runs kinit user@MANAGED.TEST with the password on standard input, allowing only one encryption type.</summary>
    /// <param name="user">The sAMAccountName.</param>
    /// <param name="password">The password typed.</param>
    /// <param name="etype">The only encryption type the client may use, for example aes256-cts-hmac-sha1-96.</param>
    /// <returns>The result.</returns>
    public ExternalTool.Result KinitWithPassword(string user, string password, string etype)
    {
        string id = Guid.NewGuid().ToString("N");
        string config = Path.Combine(Directory, $"krb5-{id}.conf");
        File.WriteAllText(config, $$"""
            [libdefaults]
              default_realm = {{Realm}}
              dns_lookup_kdc = false
              dns_lookup_realm = false
              rdns = false
              default_tkt_enctypes = {{etype}}
              default_tgs_enctypes = {{etype}}
              permitted_enctypes = {{etype}}
            [realms]
              {{Realm}} = {
                kdc = {{Address}}
              }
            """);
        return ExternalTool.Run(
            Kinit,
            [$"{user}@{Realm}"],
            standardInput: password + "\n",
            timeout: TimeSpan.FromSeconds(30),
            environment: new Dictionary<string, string>
            {
                ["KRB5_CONFIG"] = config,
                ["KRB5CCNAME"] = "FILE:" + Path.Combine(Directory, "ccache-" + id),
            });
    }

    /// <summary>Lists the netlogon share over SMB with NTLM authentication (Kerberos disabled).</summary>
    /// <param name="user">The sAMAccountName.</param>
    /// <param name="password">The password.</param>
    /// <returns>The result.</returns>
    public ExternalTool.Result SmbclientNtlm(string user, string password)
    {
        // The credentials go through an authentication file (mode 0600), not the command line.
        string authFile = Path.Combine(Directory, "auth-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(authFile, $"username = {user}\npassword = {password}\ndomain = {NetBiosDomain}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(authFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return ExternalTool.Run(
            Smbclient,
            [$"//{Address}/netlogon", "-A", authFile, "--use-kerberos=disabled", "-c", "ls"],
            timeout: TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the DC and its children by process id and removes the folder.</summary>
    public void Dispose() => _dc.Dispose();

    private void WriteCredentials(string python)
    {
        Dictionary<string, JsonElement> synced = RunSync(input: null);
        foreach ((string name, JsonElement record) in RunSync(WriteGeneratedExport()))
        {
            synced.Add(name, record);
        }
        var users = new List<object>();
        foreach (ManagedUser user in Users)
        {
            string name = user.Name;
            if (user.Source != ManagedUserSource.Control)
            {
                // The on-prem side: the managed-domain record pwsync sync produced from the on-prem export,
                // turned into the managed DC's unicodePwd and a supplementalCredentials blob by the library's writer.
                JsonElement managed = synced[name].GetProperty("managedDomain");
                users.Add(new Dictionary<string, object?>
                {
                    ["name"] = name,
                    ["upn"] = user.UserPrincipalName,
                    ["ntHash"] = managed.GetProperty("ntHash").GetString()!,
                    ["supplementalCredentials"] = Convert.ToHexStringLower(BuildSupplementalCredentials(managed)),
                });
                continue;
            }

            // The control user: keys from another password, packed by Samba's own NDR code.
            byte[] salt = KerberosSalt.ForUser(Realm, name);
            IReadOnlyList<KerberosKey> keys = KerberosKeyDerivation.DeriveKeys(
                user.KerberosKeysFrom!,
                salt,
                [KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196, KerberosEncryptionType.DesCbcMd5, KerberosEncryptionType.DesCbcCrc]);
            users.Add(new Dictionary<string, object?>
            {
                ["name"] = name,
                ["ntHash"] = Convert.ToHexStringLower(NtHash.Compute(user.Password)),
                ["kerberosKeys"] = new Dictionary<string, object>
                {
                    ["salt"] = Realm + name,
                    ["iterations"] = 4096,
                    ["keys"] = keys.Select(k => new Dictionary<string, object> { ["etype"] = (int)k.EncryptionType, ["key"] = Convert.ToHexStringLower(k.Key.Span) }).ToList(),
                },
            });
        }
        string request = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["samdb"] = _dc.SamLdb,
            ["smbconf"] = SmbConf,
            ["users"] = users,
        });
        string script = Path.Combine(AppContext.BaseDirectory, "SambaManagedDomainWriteCredentials.py");
        ExternalTool.Result result = ExternalTool.Run(python, [script], standardInput: request, timeout: TimeSpan.FromSeconds(120));
        if (result.ExitCode != 0 || !result.StandardOutput.StartsWith("ok ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"writing the credentials failed: {result.StandardError}{result.StandardOutput}");
        }
    }

    /// <summary>
    /// Writes an on-prem export of the generated users as an AD DC of the same domain stores them: unicodePwd and the
    /// supplementalCredentials the library's generator produces from the password.
    /// </summary>
    private string WriteGeneratedExport()
    {
        var ldif = new StringBuilder();
        foreach (ManagedUser user in Users.Where(u => u.Source == ManagedUserSource.Generated))
        {
            byte[] blob = SupplementalCredentialsGenerator.Generate(user.Password, new SupplementalCredentialsAccount
            {
                SamAccountName = user.Name,
                UserPrincipalName = user.UserPrincipalName,
                NetBiosDomainName = NetBiosDomain,
                DnsDomainName = Realm.ToLowerInvariant(),
            }).ToByteArray();
            ldif.Append(CultureInfo.InvariantCulture, $"dn: CN={user.Name},CN=Users,DC=phs,DC=example,DC=test\n");
            ldif.Append("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n");
            ldif.Append(CultureInfo.InvariantCulture, $"objectGUID: {Guid.NewGuid()}\nsAMAccountName: {user.Name}\nuserPrincipalName: {user.UserPrincipalName}\n");
            ldif.Append("userAccountControl: 512\npwdLastSet: 134399328144554110\n");
            ldif.Append(CultureInfo.InvariantCulture, $"unicodePwd:: {Convert.ToBase64String(NtHash.Compute(user.Password))}\n");
            ldif.Append(CultureInfo.InvariantCulture, $"supplementalCredentials:: {Convert.ToBase64String(blob)}\n\n");
        }
        string path = Path.Combine(Directory, "generated.ldif");
        File.WriteAllText(path, ldif.ToString());
        return path;
    }

    /// <summary>Runs <c>pwsync sync</c> with the managed domain enabled; <paramref name="input"/> null means the bundled sample.</summary>
    /// <returns>The records of the synced users by sAMAccountName.</returns>
    private Dictionary<string, JsonElement> RunSync(string? input)
    {
        string settings = Path.Combine(Directory, "managed.json");
        string records = Path.Combine(Directory, "records-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllText(settings, "{ \"managedDomainEnabled\": true }");
        List<string> arguments = ["sync", "--settings", settings, "--output", records];
        if (input is not null)
        {
            arguments.AddRange(["--input", input]);
        }
        using var stdin = new MemoryStream();
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int code = CliApplication.Run(arguments, new CliContext(stdin, stdout, stderr));
        if (code != 0)
        {
            throw new InvalidOperationException($"pwsync sync failed ({code}): {stderr}");
        }
        return File.ReadAllLines(records)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .Where(record => record.GetProperty("decision").GetString() == "sync")
            .ToDictionary(record => record.GetProperty("samAccountName").GetString()!, StringComparer.Ordinal);
    }

    private static ManagedUser SampleUser(string name)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "directory.manifest.json")));
        JsonElement account = manifest.RootElement.GetProperty("accounts").EnumerateArray()
            .Single(a => a.GetProperty("sAMAccountName").GetString() == name);
        return new ManagedUser(name, account.GetProperty("password").GetString()!, account.GetProperty("userPrincipalName").GetString(), ManagedUserSource.BundledSample, null);
    }

    /// <summary>The managed DC's supplementalCredentials, written by the library from a sync record's Kerberos keys.</summary>
    private static byte[] BuildSupplementalCredentials(JsonElement managedDomain)
    {
        var keys = managedDomain.GetProperty("kerberosKeys").EnumerateArray()
            .Select(k => (Type: (KerberosEncryptionType)k.GetProperty("etype").GetInt32(), Key: Convert.FromHexString(k.GetProperty("key").GetString()!), Salt: Convert.FromHexString(k.GetProperty("salt").GetString()!)))
            .ToList();
        string salt = Encoding.UTF8.GetString(keys[0].Salt);
        byte[] Key(KerberosEncryptionType type) => keys.First(k => k.Type == type).Key;
        // Samba checks the layout its own DCs write: Kerberos-Newer-Keys holds AES256, AES128, DES-CBC-MD5 and
        // DES-CBC-CRC; Primary:Kerberos holds the two DES keys. DES-CBC-CRC and DES-CBC-MD5 share one string-to-key.
        byte[] des = Key(KerberosEncryptionType.DesCbcMd5);
        KerberosStoredKey[] newer =
        [
            new(KerberosEncryptionType.Aes256CtsHmacSha196, Key(KerberosEncryptionType.Aes256CtsHmacSha196), 4096),
            new(KerberosEncryptionType.Aes128CtsHmacSha196, Key(KerberosEncryptionType.Aes128CtsHmacSha196), 4096),
            new(KerberosEncryptionType.DesCbcMd5, des, 4096),
            new(KerberosEncryptionType.DesCbcCrc, des, 4096),
        ];
        KerberosStoredKey[] desKeys = [new(KerberosEncryptionType.DesCbcMd5, des), new(KerberosEncryptionType.DesCbcCrc, des)];
        var properties = new List<UserProperty>
        {
            new(SupplementalCredentialsPropertyNames.KerberosNewerKeys, new KerberosNewerKeysCredential(salt, 4096, newer).ToByteArray()),
            new(SupplementalCredentialsPropertyNames.Kerberos, new KerberosStoredCredential(salt, desKeys).ToByteArray()),
            new(SupplementalCredentialsPropertyNames.Packages, SupplementalCredentialsBlob.EncodePackages(["Kerberos-Newer-Keys", "Kerberos"]), reserved: 2),
        };
        return new SupplementalCredentialsBlob(properties).ToByteArray();
    }

    /// <summary>The interpreter samba-tool runs with (it has the samba Python modules), read from its #! line.</summary>
    internal static string SambaPython(string sambaTool)
    {
        string firstLine = File.ReadLines(sambaTool).FirstOrDefault() ?? string.Empty;
        string interpreter = firstLine.StartsWith("#!", StringComparison.Ordinal) ? firstLine[2..].Trim().Split(' ')[0] : string.Empty;
        if (interpreter.Length > 0 && File.Exists(interpreter) && !interpreter.EndsWith("/env", StringComparison.Ordinal))
        {
            return interpreter;
        }
        return ExternalTool.Require("python3", "python3-samba");
    }
}
