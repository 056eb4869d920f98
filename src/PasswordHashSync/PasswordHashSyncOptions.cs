using System.Collections.ObjectModel;
using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Sync;

namespace PasswordHashSync;

/// <summary>
/// Settings of the credential services registered by <c>AddPasswordHashSync</c>; validated once at registration.
/// </summary>
/// <remarks>
/// The instance registered in a service collection is a validated copy that is frozen: setting a property or
/// changing <see cref="KerberosEncryptionTypes"/> on it throws <see cref="InvalidOperationException"/>, so the
/// settings the services run with are always the ones that were validated.
/// </remarks>
public sealed class PasswordHashSyncOptions
{
    private readonly FreezableList _kerberosEncryptionTypes;
    private bool _frozen;

    /// <summary>Creates options with the defaults.</summary>
    public PasswordHashSyncOptions()
    {
        _kerberosEncryptionTypes = new FreezableList(this, Kerberos.KerberosEncryptionTypes.ActiveDirectoryDefaults);
    }

    /// <summary>The PBKDF2 iteration count of new salted digests (default 1000, what Entra Connect uses).</summary>
    /// <exception cref="InvalidOperationException">Set on a registered (frozen) instance.</exception>
    public int DigestIterationCount
    {
        get;
        set
        {
            ThrowIfFrozen();
            field = value;
        }
    } = SaltedDigest.DefaultIterationCount;

    /// <summary>The highest digest iteration count a verification will compute (default 100,000).</summary>
    /// <exception cref="InvalidOperationException">Set on a registered (frozen) instance.</exception>
    public int MaxDigestIterationCount
    {
        get;
        set
        {
            ThrowIfFrozen();
            field = value;
        }
    } = SaltedDigestVerifier.DefaultMaxIterationCount;

    /// <summary>The Kerberos types derived by <see cref="ICredentialDeriver.DeriveKerberosKeys"/> (default: what a Windows DC stores).</summary>
    /// <remarks>Read-only (changes throw <see cref="InvalidOperationException"/>) on a registered instance.</remarks>
    public IList<KerberosEncryptionType> KerberosEncryptionTypes => _kerberosEncryptionTypes;

    /// <summary>
    /// The AES string-to-key iteration count, or <see langword="null"/> for each type's default (4096 / 32768);
    /// <see cref="Validate"/> accepts 1 to <see cref="KerberosKeyDerivation.MaxIterationCount"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on a registered (frozen) instance.</exception>
    public int? KerberosIterationCount
    {
        get;
        set
        {
            ThrowIfFrozen();
            field = value;
        }
    }

    /// <summary>Whether the legacy LM hash may be computed (default <see langword="false"/>).</summary>
    /// <exception cref="InvalidOperationException">Set on a registered (frozen) instance.</exception>
    public bool EnableLmHash
    {
        get;
        set
        {
            ThrowIfFrozen();
            field = value;
        }
    }

    /// <summary>The OEM code page used for LM hashes (default 437); checked only when <see cref="EnableLmHash"/> is set.</summary>
    /// <exception cref="InvalidOperationException">Set on a registered (frozen) instance.</exception>
    public int LmOemCodePage
    {
        get;
        set
        {
            ThrowIfFrozen();
            field = value;
        }
    } = LmHash.DefaultOemCodePage;

    /// <summary>The sync policy engine's tenant and connector settings (validated with the rest).</summary>
    /// <remarks>A registered (frozen) options instance holds its own copy, so later changes to the configured object have no effect.</remarks>
    public PasswordHashSyncSettings Sync { get; private set; } = new();

    /// <summary>
    /// Where the sync engine keeps its state (watermark, retry queue, last change per user), or <see langword="null"/>
    /// (the default) to keep it in memory only.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on a registered (frozen) instance.</exception>
    public string? SyncStateFilePath
    {
        get;
        set
        {
            ThrowIfFrozen();
            field = value;
        }
    }

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

        // Refused here rather than at the first derivation, which would fail for every user with the same error.
        if (KerberosIterationCount is <= 0 or > KerberosKeyDerivation.MaxIterationCount)
        {
            throw new ArgumentOutOfRangeException(nameof(KerberosIterationCount), KerberosIterationCount, $"The Kerberos iteration count must be from 1 to {KerberosKeyDerivation.MaxIterationCount}.");
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

        // The provider throws its own exception (naming "codepage") for values outside 0..65535; check the range first.
        if (EnableLmHash && (LmOemCodePage is <= 0 or > ushort.MaxValue || System.Text.CodePagesEncodingProvider.Instance.GetEncoding(LmOemCodePage) is null))
        {
            throw new ArgumentOutOfRangeException(nameof(LmOemCodePage), LmOemCodePage, "Not an available OEM code page.");
        }

        if (SyncStateFilePath is not null && string.IsNullOrWhiteSpace(SyncStateFilePath))
        {
            throw new ArgumentException("The sync state file path must not be empty or whitespace.", nameof(SyncStateFilePath));
        }

        Sync.Validate();
    }

    /// <summary>A validated, frozen copy: what a service collection holds.</summary>
    internal PasswordHashSyncOptions ToValidatedFrozenCopy()
    {
        var copy = new PasswordHashSyncOptions
        {
            DigestIterationCount = DigestIterationCount,
            MaxDigestIterationCount = MaxDigestIterationCount,
            KerberosIterationCount = KerberosIterationCount,
            EnableLmHash = EnableLmHash,
            LmOemCodePage = LmOemCodePage,
            SyncStateFilePath = SyncStateFilePath,
            Sync = Sync.Clone(),
        };
        copy._kerberosEncryptionTypes.Clear();
        foreach (KerberosEncryptionType type in _kerberosEncryptionTypes)
        {
            copy._kerberosEncryptionTypes.Add(type);
        }

        // Validate the copy, not this instance: another thread or a captured reference could change this one between the check and the copy.
        copy.Validate();
        copy._frozen = true;
        return copy;
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("These PasswordHashSyncOptions are registered in a service collection and can no longer change; configure them in the AddPasswordHashSync callback.");
        }
    }

    /// <summary>The Kerberos type list; refuses changes once its owner is frozen.</summary>
    private sealed class FreezableList(PasswordHashSyncOptions owner, IEnumerable<KerberosEncryptionType> items)
        : Collection<KerberosEncryptionType>([.. items])
    {
        protected override void InsertItem(int index, KerberosEncryptionType item)
        {
            owner.ThrowIfFrozen();
            base.InsertItem(index, item);
        }

        protected override void SetItem(int index, KerberosEncryptionType item)
        {
            owner.ThrowIfFrozen();
            base.SetItem(index, item);
        }

        protected override void RemoveItem(int index)
        {
            owner.ThrowIfFrozen();
            base.RemoveItem(index);
        }

        protected override void ClearItems()
        {
            owner.ThrowIfFrozen();
            base.ClearItems();
        }
    }
}
