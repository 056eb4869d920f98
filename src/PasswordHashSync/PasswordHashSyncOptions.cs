using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Sync;

namespace PasswordHashSync;

/// <summary>Settings of the credential services registered by <c>AddPasswordHashSync</c>; validated once at registration.</summary>
public sealed class PasswordHashSyncOptions
{
    /// <summary>The PBKDF2 iteration count of new salted digests (default 1000, what Entra Connect uses).</summary>
    public int DigestIterationCount { get; set; } = SaltedDigest.DefaultIterationCount;

    /// <summary>The highest digest iteration count a verification will compute (default 100,000).</summary>
    public int MaxDigestIterationCount { get; set; } = SaltedDigestVerifier.DefaultMaxIterationCount;

    /// <summary>The Kerberos types derived by <see cref="ICredentialDeriver.DeriveKerberosKeys"/> (default: what a Windows DC stores).</summary>
    public IList<KerberosEncryptionType> KerberosEncryptionTypes { get; } =
        new List<KerberosEncryptionType>(Kerberos.KerberosEncryptionTypes.ActiveDirectoryDefaults);

    /// <summary>The AES string-to-key iteration count, or <see langword="null"/> for each type's default (4096 / 32768).</summary>
    public int? KerberosIterationCount { get; set; }

    /// <summary>Whether the legacy LM hash may be computed (default <see langword="false"/>).</summary>
    public bool EnableLmHash { get; set; }

    /// <summary>The OEM code page used for LM hashes (default 437).</summary>
    public int LmOemCodePage { get; set; } = LmHash.DefaultOemCodePage;

    /// <summary>The sync policy engine's tenant and connector settings (validated with the rest).</summary>
    public PasswordHashSyncSettings Sync { get; } = new();

    /// <summary>
    /// Where the sync engine keeps its state (watermark, retry queue, last change per user), or <see langword="null"/>
    /// (the default) to keep it in memory only.
    /// </summary>
    public string? SyncStateFilePath { get; set; }

    /// <summary>Checks every setting and throws on the first invalid one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count, code page or sync setting is out of range.</exception>
    /// <exception cref="ArgumentException">The Kerberos type list is empty, repeats a type or names an unsupported one.</exception>
    public void Validate()
    {
        if (DigestIterationCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DigestIterationCount), DigestIterationCount, "The digest iteration count must be positive.");
        }

        if (MaxDigestIterationCount < DigestIterationCount)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDigestIterationCount), MaxDigestIterationCount, "The maximum digest iteration count must be at least the digest iteration count.");
        }

        if (KerberosIterationCount is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(KerberosIterationCount), KerberosIterationCount, "The Kerberos iteration count must be positive.");
        }

        if (KerberosEncryptionTypes.Count == 0)
        {
            throw new ArgumentException("At least one Kerberos encryption type is required.", nameof(KerberosEncryptionTypes));
        }

        var seen = new HashSet<KerberosEncryptionType>();
        foreach (KerberosEncryptionType type in KerberosEncryptionTypes)
        {
            if (!Kerberos.KerberosEncryptionTypes.IsSupported(type))
            {
                throw new ArgumentException($"Kerberos encryption type {(int)type} is not supported.", nameof(KerberosEncryptionTypes));
            }

            if (!seen.Add(type))
            {
                throw new ArgumentException($"Kerberos encryption type {Kerberos.KerberosEncryptionTypes.GetName(type)} is listed twice.", nameof(KerberosEncryptionTypes));
            }
        }

        if (EnableLmHash && System.Text.CodePagesEncodingProvider.Instance.GetEncoding(LmOemCodePage) is null)
        {
            throw new ArgumentOutOfRangeException(nameof(LmOemCodePage), LmOemCodePage, "Not an available OEM code page.");
        }

        if (SyncStateFilePath is not null && string.IsNullOrWhiteSpace(SyncStateFilePath))
        {
            throw new ArgumentException("The sync state file path must not be empty or whitespace.", nameof(SyncStateFilePath));
        }

        Sync.Validate();
    }
}
