using System.Text.RegularExpressions;
using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.Docs;

/// <summary>
/// The quick-start sample of docs/quickstart.md (moved there from README.md so README fits on a page), verbatim, so it
/// keeps giving the published values (DocumentationCSharpTests compiles it as pasted; this test also runs it and checks
/// its results).
/// </summary>
public partial class ReadmeQuickStartTests
{
    [Fact]
    public void Quick_start_sample_compiles_runs_and_gives_the_published_values()
    {
        // --- begin docs/quickstart.md quick start ---
        // NT hash: MD4 over UTF-16LE; also the Kerberos RC4-HMAC key.
        byte[] nt = NtHash.Compute("Pa$$w0rd");

        // Entra ID salted digest: fresh 10-byte salt, 1000 iterations, wire string for the cloud.
        SaltedDigest digest = SaltedDigest.FromNtHash(nt);
        string wire = digest.ToWireString();   // v1;PPH1_MD4,<salt hex>,1000,<hash hex>;

        // Check a password against a stored wire string (constant time, iteration cap checked first).
        DigestVerificationResult result = SaltedDigestVerifier.Default.Verify("Pa$$w0rd", wire);
        bool matches = result.Succeeded;

        // Kerberos keys of a user account: salt = UPPER(realm) + sAMAccountName (case kept).
        byte[] salt = KerberosSalt.ForUser("contoso.com", "Administrator");
        IReadOnlyList<KerberosKey> keys = KerberosKeyDerivation.DeriveKeys(
            "Pa$$w0rd", salt, [.. KerberosEncryptionTypes.ActiveDirectoryDefaults]);

        // The span form allocates nothing.
        Span<byte> aes256 = stackalloc byte[32];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha196, "Pa$$w0rd", salt, aes256);
        // --- end docs/quickstart.md quick start ---

        // Published values: DSInternals NTHashTester.cs (NT hash) and ConvertTo-KerberosKey.md (keys), @894f5ed.
        Assert.Equal("92937945b518814341de3f726500d4ff", Convert.ToHexStringLower(nt));
        Assert.Matches(WirePattern(), wire);
        Assert.True(matches);
        Assert.Equal(DigestVerificationStatus.Success, result.Status);
        Assert.Equal(5, keys.Count);
        Assert.Equal("660e61042b190b5724c62bb473facca12058fb9ad3c03c0d2809f839c0352502", Convert.ToHexStringLower(keys[0].Key.Span));
        Assert.Equal("bd75e98362b16649ffbaed630d5341d0", Convert.ToHexStringLower(keys[1].Key.Span));
        Assert.Equal("aed02c52204ca2ce", Convert.ToHexStringLower(keys[2].Key.Span));
        Assert.Equal("aed02c52204ca2ce", Convert.ToHexStringLower(keys[3].Key.Span));
        Assert.Equal(nt, keys[4].Key.ToArray());
        Assert.Equal(keys[0].Key.ToArray(), aes256.ToArray());
    }

    [Fact]
    public void README_quick_start_block_is_the_code_this_test_runs()
    {
        // The page's block (without its using lines) must equal the code between the markers above, so the sample
        // a newcomer copies is the one that gives the published values.
        MarkdownDocument readme = Documentation.Get("docs/quickstart.md");
        int section = Array.IndexOf(readme.Lines, "## Quick start");
        Assert.True(section >= 0, "docs/quickstart.md has no '## Quick start' section.");
        FencedBlock block = readme.Blocks.First(b => b.OpeningLine > section);
        Assert.Equal("csharp", block.Language);
        string[] readmeLines = Normalize(block.Text).Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).ToArray();

        string source = File.ReadAllText(Path.Combine(TestSupport.RepositoryPaths.Root, "tests", "UnitTests", "Docs", "ReadmeQuickStartTests.cs"));
        int begin = source.IndexOf("// --- begin docs/quickstart.md quick start ---", StringComparison.Ordinal);
        int finish = source.IndexOf("// --- end docs/quickstart.md quick start ---", StringComparison.Ordinal);
        string[] testLines = Normalize(source[(source.IndexOf('\n', begin) + 1)..finish]);

        Assert.Equal(testLines, readmeLines);
    }

    private static string[] Normalize(string code) =>
        code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    // The Pester pattern DSInternals uses for a generated digest (DSInternals @894f5ed OrgIdHash Pester tests).
    [GeneratedRegex("^v1;PPH1_MD4,[a-f0-9]{20},1000,[a-f0-9]{64};$")]
    private static partial Regex WirePattern();
}
