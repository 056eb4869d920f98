using System.Text.RegularExpressions;
using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests;

/// <summary>The quick-start sample of docs/core.md, verbatim, so it keeps compiling and keeps giving the published values.</summary>
public partial class ReadmeQuickStartTests
{
    [Fact]
    public void Quick_start_sample_compiles_runs_and_gives_the_published_values()
    {
        // --- begin docs/core.md quick start ---
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
        // --- end docs/core.md quick start ---

        // Published values: reference-dsinternals.md §2.1 (NT hash) and reference-phs-spec.md §5.3 (keys).
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

    // The Pester pattern DSInternals uses for a generated digest (reference-dsinternals.md §1.2).
    [GeneratedRegex("^v1;PPH1_MD4,[a-f0-9]{20},1000,[a-f0-9]{64};$")]
    private static partial Regex WirePattern();
}
