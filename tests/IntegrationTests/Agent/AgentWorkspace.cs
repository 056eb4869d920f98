using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Digests;

namespace PasswordHashSync.IntegrationTests.Agent;

/// <summary>
/// A folder with an agent configuration, an LDIF "directory" whose passwords the test changes (each user has a version
/// number; version v's password is <c>pw-USER-v</c>, its pwdLastSet v minutes after a base time), and the outbox.
/// Outbox records are matched to versions by recomputing the salted digest here (BouncyCastle MD4 + .NET PBKDF2),
/// independently of the library.
/// </summary>
internal sealed class AgentWorkspace : IDisposable
{
    private static readonly DateTimeOffset BaseTime = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, List<(string User, string Digest)>> _parsedSegments = new(StringComparer.Ordinal);

    public AgentWorkspace(int users, string cycleInterval = "00:00:00.050")
    {
        System.IO.Directory.CreateDirectory(Root);
        Versions = new int[users];
        Array.Fill(Versions, 1);
        WriteLdif();
        File.WriteAllText(ConfigPath, $$"""
            {
              "Agent": {
                "StatePath": "state/state.json",
                "OutboxDirectory": "outbox",
                "Source": { "Kind": "Ldif", "LdifPath": "directory.ldif" }
              },
              "Sync": { "CycleInterval": "{{cycleInterval}}", "DigestIterationCount": 1, "RetryInitialDelay": "00:00:00.100", "RetryMaxDelay": "00:00:01" },
              "Logging": { "LogLevel": { "Default": "Information", "Microsoft.Hosting": "Warning" } }
            }
            """);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "phs-agent-" + Guid.NewGuid().ToString("N"));

    public string ConfigPath => Path.Combine(Root, "agent.json");

    public string StatePath => Path.Combine(Root, "state", "state.json");

    public string OutboxPath => Path.Combine(Root, "outbox");

    public int[] Versions { get; }

    public static string UserName(int u) => "user" + u.ToString(CultureInfo.InvariantCulture);

    public static string Password(int u, int version) => string.Create(CultureInfo.InvariantCulture, $"pw-{UserName(u)}-{version}");

    public static byte[] NtHash(string password)
    {
        var md4 = new MD4Digest();
        byte[] input = Encoding.Unicode.GetBytes(password);
        md4.BlockUpdate(input, 0, input.Length);
        byte[] output = new byte[16];
        md4.DoFinal(output, 0);
        return output;
    }

    /// <summary>Writes the LDIF for the current versions, replacing the file atomically (as an exporter should).</summary>
    public void WriteLdif()
    {
        var text = new StringBuilder();
        for (int u = 0; u < Versions.Length; u++)
        {
            long pwdLastSet = BaseTime.AddMinutes(Versions[u]).ToFileTime();
            Guid guid = new(SHA256.HashData(Encoding.UTF8.GetBytes(UserName(u))).AsSpan(0, 16));
            text.Append(CultureInfo.InvariantCulture, $"dn: CN={UserName(u)},OU=Staff,DC=agent,DC=test\n")
                .Append("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n")
                .Append(CultureInfo.InvariantCulture, $"sAMAccountName: {UserName(u)}\n")
                .Append(CultureInfo.InvariantCulture, $"objectGUID: {guid}\n")
                .Append("userAccountControl: 512\n")
                .Append(CultureInfo.InvariantCulture, $"pwdLastSet: {pwdLastSet}\n")
                .Append(CultureInfo.InvariantCulture, $"unicodePwd:: {Convert.ToBase64String(NtHash(Password(u, Versions[u])))}\n\n");
        }

        string temporary = Path.Combine(Root, "directory.ldif.tmp");
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, Path.Combine(Root, "directory.ldif"), overwrite: true);
    }

    /// <summary>The finished segments in name order (hidden temporary files excluded).</summary>
    public string[] Segments() =>
        System.IO.Directory.Exists(OutboxPath)
            ? [.. System.IO.Directory.GetFiles(OutboxPath, "*.jsonl").Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// Per user, the versions of every record in outbox order (segments by name, lines in order). Every segment must
    /// be whole: complete lines, each a complete record whose digest matches one of the user's passwords.
    /// </summary>
    public List<int>[] DeliveredVersions()
    {
        var delivered = new List<int>[Versions.Length];
        for (int u = 0; u < delivered.Length; u++)
        {
            delivered[u] = [];
        }

        foreach (string segment in Segments())
        {
            if (!_parsedSegments.TryGetValue(segment, out List<(string User, string Digest)>? records))
            {
                records = ParseSegment(segment);
                _parsedSegments[segment] = records;
            }

            foreach ((string user, string digest) in records)
            {
                int u = int.Parse(user.AsSpan(4), CultureInfo.InvariantCulture);
                delivered[u].Add(VersionOf(u, digest));
            }
        }

        return delivered;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Root))
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
    }

    private static List<(string User, string Digest)> ParseSegment(string path)
    {
        string text = File.ReadAllText(path);
        Assert.True(text.Length > 0 && text.EndsWith('\n'), $"segment {Path.GetFileName(path)} is empty or ends mid-line");
        var records = new List<(string, string)>();
        foreach (string line in text.TrimEnd('\n').Split('\n'))
        {
            using JsonDocument record = JsonDocument.Parse(line);
            JsonElement root = record.RootElement;
            Assert.Equal("sync", root.GetProperty("decision").GetString());
            records.Add((root.GetProperty("samAccountName").GetString()!, root.GetProperty("digest").GetString()!));
        }

        return records;
    }

    // v1;PPH1_MD4,<salt hex>,<iterations>,<hash hex>; recomputed for each candidate version.
    private int VersionOf(int u, string digest)
    {
        string[] parts = digest.TrimEnd(';')["v1;PPH1_MD4,".Length..].Split(',');
        byte[] salt = Convert.FromHexString(parts[0]);
        int iterations = int.Parse(parts[1], CultureInfo.InvariantCulture);
        byte[] expected = Convert.FromHexString(parts[2]);
        for (int v = Versions[u]; v >= 1; v--)
        {
            byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(NtHash(Password(u, v))));
            if (Rfc2898DeriveBytes.Pbkdf2(input, salt, iterations, HashAlgorithmName.SHA256, 32).AsSpan().SequenceEqual(expected))
            {
                return v;
            }
        }

        throw new Xunit.Sdk.XunitException($"a record of {UserName(u)} matches none of its passwords: {digest}");
    }
}
