using System.Text;
using PasswordHashSync.Kerberos;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Oracles;

/// <summary>
/// MIT Kerberos (Debian krb5-user, ktutil) as an independent string-to-key implementation: ktutil derives keys
/// with an explicit salt (<c>add_entry -password ... -s salt</c>), writes a keytab, and every key is compared
/// with <see cref="KerberosKeyDerivation"/>.
/// </summary>
/// <remarks>
/// MIT 1.20 removed single DES, so des-cbc-crc / des-cbc-md5 are not covered here (the RFC 3961 and AD vectors
/// cover them). ktutil always uses each type's default iteration count (4096 for RFC 3962, 32768 for RFC 8009);
/// MIT honours other counts only through s2kparams sent by a KDC, so non-default counts are covered by the
/// published vectors and the property tests instead.
/// </remarks>
public class MitKerberosOracleTests
{
    private static readonly string[] EncryptionTypeNames =
    [
        "aes256-cts-hmac-sha1-96",
        "aes128-cts-hmac-sha1-96",
        "aes128-cts-hmac-sha256-128",
        "aes256-cts-hmac-sha384-192",
        "arcfour-hmac",
    ];

    [Fact]
    public void Ktutil_derives_the_same_keys_for_generated_passwords_and_AD_salts()
    {
        string ktutil = ExternalTool.Require("ktutil", "krb5-user");
        int seed = Environment.TickCount;
        var random = new Random(seed);

        List<string> passwords =
        [
            "Pa$$w0rd",
            "correct horse battery staple",
            "Crème brûlée à l'été",
            "žluťoučký kůň",
            "パスワード密码비밀번호",
            "🔑🐉 key \U0001D11E",
            "x",
        ];
        for (int i = 0; i < 4; i++)
        {
            passwords.Add(RandomPassword(random, random.Next(1, 40)));
        }

        byte[][] salts =
        [
            KerberosSalt.ForUser("contoso.com", "Administrator"),
            KerberosSalt.ForComputer("Ad.Example.org", "WKS-042$"),
            KerberosSalt.ForUser("fabrikam.com", "Zoë.Ñúñez"),
        ];

        var cases = new List<(string Password, byte[] Salt, KerberosEncryptionType Type)>();
        var script = new StringBuilder();
        foreach (string password in passwords)
        {
            for (int s = 0; s < salts.Length; s++)
            {
                byte[] salt = salts[s];
                foreach (string name in EncryptionTypeNames)
                {
                    // RFC 8009 types run 32768 iterations by default in both implementations: one salt is enough
                    // for them and keeps this test well under its time budget.
                    if (s > 0 && KerberosEncryptionTypes.GetDefaultIterationCount(KerberosEncryptionTypes.Parse(name)) == 32768)
                    {
                        continue;
                    }

                    cases.Add((password, salt, KerberosEncryptionTypes.Parse(name)));

                    // The key version number identifies the case in the keytab.
                    script.Append(FormattableString.Invariant($"add_entry -password -p oracle@EXAMPLE.TEST -k {cases.Count} -e {name} -s {Encoding.UTF8.GetString(salt)}\n"));
                    script.Append(password).Append('\n');
                }
            }
        }

        string directory = System.IO.Directory.CreateTempSubdirectory("phs-ktutil-").FullName;
        try
        {
            string keytab = Path.Combine(directory, "oracle.keytab");
            string config = Path.Combine(directory, "krb5.conf");
            File.WriteAllText(config, "");
            script.Append("wkt ").Append(keytab).Append("\nquit\n");

            ExternalTool.Result result = ExternalTool.Run(
                ktutil,
                [],
                script.ToString(),
                TimeSpan.FromSeconds(60),
                new Dictionary<string, string> { ["KRB5_CONFIG"] = config, ["LC_ALL"] = "C.UTF-8" });
            Assert.True(result.ExitCode == 0, $"ktutil failed ({result.ExitCode}): {result.StandardError}");
            Assert.True(File.Exists(keytab), $"ktutil wrote no keytab: {result.StandardOutput} {result.StandardError}");

            List<MitKeytab.Entry> entries = MitKeytab.Parse(File.ReadAllBytes(keytab));
            Assert.Equal(cases.Count, entries.Count);

            var mismatches = new List<string>();
            foreach (MitKeytab.Entry entry in entries)
            {
                (string password, byte[] salt, KerberosEncryptionType type) = cases[(int)entry.KeyVersion - 1];
                Assert.Equal((int)type, entry.EncryptionType);
                byte[] ours = new byte[KerberosEncryptionTypes.GetKeySize(type)];
                KerberosKeyDerivation.DeriveKey(type, password, salt, ours);
                if (!ours.AsSpan().SequenceEqual(entry.Key))
                {
                    mismatches.Add($"kvno {entry.KeyVersion} {KerberosEncryptionTypes.GetName(type)} salt '{Encoding.UTF8.GetString(salt)}' password #{passwords.IndexOf(password)}: MIT {Convert.ToHexStringLower(entry.Key)}, ours {Convert.ToHexStringLower(ours)}");
                }
            }

            Assert.True(mismatches.Count == 0, $"Seed {seed}: {mismatches.Count} of {entries.Count} keys differ from MIT ktutil:\n{string.Join('\n', mismatches)}");
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    private static string RandomPassword(Random random, int length)
    {
        // Printable ASCII, Latin-1 and Greek letters, CJK, and astral symbols (as well-formed surrogate pairs, since
        // ktutil reads UTF-8). No whitespace at either end: ktutil reads the password as one line.
        var builder = new StringBuilder();
        while (builder.Length < length)
        {
            switch (random.Next(5))
            {
                case 0 or 1:
                    builder.Append((char)random.Next(0x21, 0x7f));
                    break;
                case 2:
                    builder.Append((char)random.Next(0xc0, 0x3ff));
                    break;
                case 3:
                    builder.Append((char)random.Next(0x4e00, 0x9fff));
                    break;
                default:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x1f300, 0x1faff)));
                    break;
            }
        }

        return builder.ToString();
    }
}
