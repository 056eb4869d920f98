using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PasswordHashSync.Digest;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Oracles;

/// <summary>
/// The OpenSSL 3 command line as an independent implementation: MD4 from the legacy provider for the NT hash,
/// and its PBKDF2 KDF for the salted digest.
/// </summary>
public class OpenSslOracleTests
{
    private static readonly string[] Passwords =
    [
        "",
        "Pa$$w0rd",
        "Crème brûlée",
        "密码パスワード",
        "🔑\U0001D11E",
        "emb\0edded NUL",
        "lone \uD800 high and \uDC00 low surrogates",
        new string('x', 200),
    ];

    [Fact]
    public void NtHash_equals_openssl_md4_over_utf16le()
    {
        string openssl = ExternalTool.Require("openssl", "openssl");
        var random = new Random(Environment.TickCount);
        List<string> passwords = [.. Passwords];
        for (int i = 0; i < 4; i++)
        {
            // Random UTF-16 code units, lone surrogates and NULs included: the NT hash takes any sequence.
            passwords.Add(new string(Enumerable.Range(0, random.Next(0, 70)).Select(_ => (char)random.Next(0, 0x10000)).ToArray()));
        }

        string directory = System.IO.Directory.CreateTempSubdirectory("phs-openssl-").FullName;
        try
        {
            var files = new List<string>();
            for (int i = 0; i < passwords.Count; i++)
            {
                // UTF-16LE built independently of the library: each code unit written little-endian.
                byte[] utf16 = new byte[passwords[i].Length * 2];
                for (int c = 0; c < passwords[i].Length; c++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(utf16.AsSpan(2 * c), passwords[i][c]);
                }

                string file = Path.Combine(directory, FormattableString.Invariant($"p{i}.bin"));
                File.WriteAllBytes(file, utf16);
                files.Add(file);
            }

            ExternalTool.Result result = ExternalTool.Run(openssl, ["dgst", "-md4", "-r", "-provider", "legacy", "-provider", "default", .. files]);
            Assert.True(result.ExitCode == 0, $"openssl dgst -md4 failed: {result.StandardError}");
            string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(passwords.Count, lines.Length);
            for (int i = 0; i < passwords.Count; i++)
            {
                // "-r" prints "<hex> *<file>".
                string opensslHex = lines[i].Split(' ')[0];
                Assert.EndsWith(Path.GetFileName(files[i]), lines[i], StringComparison.Ordinal);
                Assert.Equal(opensslHex, Convert.ToHexStringLower(NtHash.Compute(passwords[i])));
            }
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(100)]
    public void SaltedDigest_equals_openssl_pbkdf2_over_uppercase_hex_nt_hash(int iterations)
    {
        string openssl = ExternalTool.Require("openssl", "openssl");
        var random = new Random(Environment.TickCount);
        int[] saltLengths = [SaltedDigest.SaltSize, 8, 1, SaltedDigest.MaxSaltSize, SaltedDigest.SaltSize, 33];
        for (int i = 0; i < saltLengths.Length; i++)
        {
            string password = Passwords[i];
            byte[] salt = new byte[saltLengths[i]];
            random.NextBytes(salt);
            byte[] ntHash = NtHash.Compute(password);

            // The documented PBKDF2 password: UTF-16LE of the UPPERCASE hex NT hash, written here byte by byte.
            var hexPass = new StringBuilder();
            foreach (char c in Convert.ToHexString(ntHash))
            {
                hexPass.Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)).Append("00");
            }

            ExternalTool.Result result = ExternalTool.Run(
                openssl,
                [
                    "kdf", "-keylen", "32", "-kdfopt", "digest:SHA256", "-kdfopt", "hexpass:" + hexPass,
                    "-kdfopt", "hexsalt:" + Convert.ToHexStringLower(salt),
                    "-kdfopt", FormattableString.Invariant($"iter:{iterations}"), "PBKDF2",
                ]);
            Assert.True(result.ExitCode == 0, $"openssl kdf failed: {result.StandardError}");
            string opensslHex = result.StandardOutput.Trim().Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
            Assert.Equal(64, opensslHex.Length);

            SaltedDigest digest = SaltedDigest.FromPassword(password, salt, iterations);
            Assert.Equal(opensslHex, Convert.ToHexStringLower(digest.Hash.Span));
            Assert.Equal(opensslHex, Convert.ToHexStringLower(SaltedDigest.FromNtHash(ntHash, salt, iterations).Hash.Span));
        }
    }
}
