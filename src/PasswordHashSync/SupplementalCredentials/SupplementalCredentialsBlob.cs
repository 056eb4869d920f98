using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// A <c>supplementalCredentials</c> value: the <c>USER_PROPERTIES</c> structure of MS-SAMR 2.2.10.1, with the known
/// properties decoded (Kerberos keys, WDigest hashes, packages, cleartext) and unknown ones kept as they are.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): u32 Reserved1, u32 Length (bytes from Reserved4 to the end of the properties),
/// u16 Reserved2, u16 Reserved3, 96-byte Reserved4, u16 PropertySignature (0x50), u16 PropertyCount, the properties
/// (u16 NameLength, u16 ValueLength, u16 Reserved, UTF-16LE name, hex-text value), then one byte Reserved5.
/// Empty structures are 13 bytes (no Reserved4, signature or count) or 111 bytes (no count).</para>
/// <para><see cref="Parse"/> checks every length, count and offset and throws only
/// <see cref="SupplementalCredentialsFormatException"/>. <see cref="ToByteArray"/> re-encodes the decoded properties
/// and reproduces any blob written by Windows or Samba byte for byte. <see cref="ToString"/> never shows secrets.</para>
/// <para>The decoded values are secrets (Kerberos keys, WDigest hashes, possibly a cleartext password). They live in
/// pinned arrays, one copy each, and <see cref="Dispose"/> zeroes them all: the properties, the stored keys and the
/// WDigest hashes. Keys handed out by <see cref="GetCurrentKerberosKeys"/> are the caller's copies (dispose them
/// too); the string of <see cref="GetCleartextPassword"/> cannot be zeroed.</para>
/// </remarks>
public sealed partial class SupplementalCredentialsBlob : IDisposable
{
    /// <summary>The PropertySignature value.</summary>
    public const ushort PropertySignature = 0x50;

    private const int ShortEmptySize = 13;
    private const int Reserved4Size = 96;
    private const int FixedHeaderSize = 12;
    private const string Structure = "USER_PROPERTIES";

    private readonly UserProperty[] _properties;
    private readonly byte[] _reserved4;
    private readonly EmptyForm _emptyForm;

    // The properties whose decoded form ToByteArray re-encodes (see SupplementalCredentialsBlob.Write.cs).
    private UserProperty? _kerberosNewerKeysProperty;
    private UserProperty? _kerberosProperty;
    private UserProperty? _wdigestProperty;
    private UserProperty? _packagesProperty;
    private bool _disposed;

    /// <summary>Creates a blob from properties, with the header Windows writes (Reserved4 = 48 UTF-16 spaces).</summary>
    /// <param name="properties">The properties, in the order to write them; disposing the blob disposes them.</param>
    /// <param name="reserved5">The trailing Reserved5 byte (Windows writes 0 or 1; it carries no meaning).</param>
    /// <exception cref="ArgumentNullException"><paramref name="properties"/> is <see langword="null"/>.</exception>
    /// <exception cref="SupplementalCredentialsFormatException">A known property's value does not decode.</exception>
    public SupplementalCredentialsBlob(IEnumerable<UserProperty> properties, byte reserved5 = 0)
        : this(properties?.ToArray() ?? throw new ArgumentNullException(nameof(properties)), DefaultReserved4(), reserved5, 0, 0, 0, EmptyForm.None)
    {
    }

    private SupplementalCredentialsBlob(UserProperty[] properties, byte[] reserved4, byte reserved5, uint reserved1, ushort reserved2, ushort reserved3, EmptyForm emptyForm)
    {
        foreach (UserProperty property in properties)
        {
            ArgumentNullException.ThrowIfNull(property, nameof(properties));
        }

        _properties = properties;
        _reserved4 = reserved4;
        Reserved5 = reserved5;
        Reserved1 = reserved1;
        Reserved2 = reserved2;
        Reserved3 = reserved3;
        _emptyForm = emptyForm;
        try
        {
            DecodeKnownProperties();
        }
        catch
        {
            DisposeDecoded();
            throw;
        }
    }

    private enum EmptyForm
    {
        None,
        Short,
        NoCount,
    }

    /// <summary>The properties in stored order.</summary>
    public IReadOnlyList<UserProperty> Properties => _properties;

    /// <summary>The Reserved1 header field.</summary>
    public uint Reserved1 { get; }

    /// <summary>The Reserved2 header field.</summary>
    public ushort Reserved2 { get; }

    /// <summary>The Reserved3 header field.</summary>
    public ushort Reserved3 { get; }

    /// <summary>The trailing Reserved5 byte, kept for the round trip (0x00, 0x01 and 0x72 are seen in real blobs).</summary>
    public byte Reserved5 { get; }

    /// <summary><c>Primary:Kerberos-Newer-Keys</c>, or <see langword="null"/>.</summary>
    public KerberosNewerKeysCredential? KerberosNewerKeys { get; private set; }

    /// <summary><c>Primary:Kerberos</c>, or <see langword="null"/>.</summary>
    public KerberosStoredCredential? Kerberos { get; private set; }

    /// <summary><c>Primary:WDigest</c>, or <see langword="null"/>.</summary>
    public WDigestCredentials? WDigest { get; private set; }

    /// <summary>The names listed in <c>Packages</c>, or <see langword="null"/> when the property is absent.</summary>
    public IReadOnlyList<string>? Packages { get; private set; }

    /// <summary>The <c>Primary:NTLM-Strong-NTOWF</c> value, or empty.</summary>
    public ReadOnlyMemory<byte> NtlmStrongNtowf => Find(SupplementalCredentialsPropertyNames.NtlmStrongNtowf)?.Value ?? default;

    /// <summary>Whether the blob holds a reversibly encrypted cleartext password (<c>Primary:CLEARTEXT</c>).</summary>
    public bool HasCleartextPassword => Find(SupplementalCredentialsPropertyNames.Cleartext) is not null;

    /// <summary>Whether the blob has no properties.</summary>
    public bool IsEmpty => _properties.Length == 0;

    /// <summary>The first property named <paramref name="name"/> (ordinal comparison), or <see langword="null"/>.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The property, or <see langword="null"/>.</returns>
    public UserProperty? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Array.Find(_properties, p => string.Equals(p.Name, name, StringComparison.Ordinal));
    }

    /// <summary>The cleartext password of <c>Primary:CLEARTEXT</c> (UTF-16 code units as stored), or <see langword="null"/>.</summary>
    /// <returns>The password, or <see langword="null"/>. Handle it as the secret it is.</returns>
    public string? GetCleartextPassword() =>
        Find(SupplementalCredentialsPropertyNames.Cleartext) is UserProperty p
            ? BlobReader.DecodeUtf16(p.Value.Span, SupplementalCredentialsPropertyNames.Cleartext, "the password")
            : null;

    /// <summary>
    /// The current Kerberos keys the library supports: those of <c>Primary:Kerberos-Newer-Keys</c>, then the
    /// <c>Primary:Kerberos</c> keys of types not already listed. Each carries the stored default salt and iteration count.
    /// </summary>
    /// <returns>The keys (empty when the blob holds none).</returns>
    public IReadOnlyList<KerberosKey> GetCurrentKerberosKeys()
    {
        var keys = new List<KerberosKey>();
        if (KerberosNewerKeys is not null)
        {
            keys.AddRange(KerberosNewerKeys.GetCurrentKeys());
        }

        if (Kerberos is not null)
        {
            foreach (KerberosKey key in Kerberos.GetCurrentKeys())
            {
                if (!keys.Exists(k => k.EncryptionType == key.EncryptionType))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    /// <summary>Zeroes every decoded secret: the property values, the stored Kerberos keys and the WDigest hashes.</summary>
    public void Dispose()
    {
        DisposeDecoded();
        foreach (UserProperty property in _properties)
        {
            property.Dispose();
        }

        _disposed = true;
    }

    /// <inheritdoc />
    /// <remarks>Property names only.</remarks>
    public override string ToString() => $"SupplementalCredentialsBlob {{ {string.Join(", ", _properties.Select(p => p.Name))} }}";

    private static byte[] DefaultReserved4()
    {
        byte[] spaces = new byte[Reserved4Size];
        for (int i = 0; i < spaces.Length; i += 2)
        {
            spaces[i] = 0x20;
        }

        return spaces;
    }

    private void DisposeDecoded()
    {
        KerberosNewerKeys?.Dispose();
        Kerberos?.Dispose();
        WDigest?.Dispose();
    }

    private void DecodeKnownProperties()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (UserProperty property in _properties)
        {
            if (!seen.Add(property.Name))
            {
                throw new SupplementalCredentialsFormatException($"{Structure}: the property '{property.Name}' appears more than once.");
            }

            ReadOnlySpan<byte> value = property.Value.Span;
            switch (property.Name)
            {
                case SupplementalCredentialsPropertyNames.KerberosNewerKeys:
                    KerberosNewerKeys = KerberosNewerKeysCredential.Parse(value);
                    _kerberosNewerKeysProperty = property;
                    break;
                case SupplementalCredentialsPropertyNames.Kerberos:
                    Kerberos = KerberosStoredCredential.Parse(value);
                    _kerberosProperty = property;
                    break;
                case SupplementalCredentialsPropertyNames.WDigest:
                    WDigest = WDigestCredentials.Parse(value);
                    _wdigestProperty = property;
                    break;
                case SupplementalCredentialsPropertyNames.Packages:
                    Packages = BlobReader.DecodeUtf16(value, SupplementalCredentialsPropertyNames.Packages, "the package list").Split('\0');
                    _packagesProperty = property;
                    break;
                case SupplementalCredentialsPropertyNames.Cleartext:
                    if (value.Length % 2 != 0)
                    {
                        throw new SupplementalCredentialsFormatException($"{SupplementalCredentialsPropertyNames.Cleartext}: the password has an odd number of bytes ({value.Length}) for UTF-16.");
                    }

                    break;
            }
        }
    }
}
