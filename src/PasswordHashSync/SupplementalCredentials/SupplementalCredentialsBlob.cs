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
public sealed class SupplementalCredentialsBlob : IDisposable
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

    /// <summary>Parses a <c>supplementalCredentials</c> value (already decrypted).</summary>
    /// <param name="blob">The USER_PROPERTIES bytes.</param>
    /// <returns>The parsed blob.</returns>
    /// <exception cref="SupplementalCredentialsFormatException">Any length, count, offset, signature or hex error.</exception>
    public static SupplementalCredentialsBlob Parse(ReadOnlySpan<byte> blob)
    {
        var reader = new BlobReader(blob, Structure);
        uint reserved1 = reader.ReadUInt32();
        uint length = reader.ReadUInt32();
        ushort reserved2 = reader.ReadUInt16();
        ushort reserved3 = reader.ReadUInt16();
        if (length != (long)blob.Length - ShortEmptySize)
        {
            throw reader.Error($"the Length field is {length}, but a {blob.Length}-byte blob needs {blob.Length - ShortEmptySize}");
        }

        if (blob.Length == ShortEmptySize)
        {
            return new SupplementalCredentialsBlob([], [], reader.ReadByte(), reserved1, reserved2, reserved3, EmptyForm.Short);
        }

        byte[] reserved4 = reader.ReadBytes(Reserved4Size, "Reserved4").ToArray();
        ushort signature = reader.ReadUInt16();
        if (signature != PropertySignature)
        {
            throw reader.Error($"the PropertySignature is 0x{signature:x4}, not 0x0050");
        }

        if (reader.Remaining == 1)
        {
            return new SupplementalCredentialsBlob([], reserved4, reader.ReadByte(), reserved1, reserved2, reserved3, EmptyForm.NoCount);
        }

        int count = reader.ReadUInt16();
        if ((long)count * 6 > reader.Remaining)
        {
            throw reader.Error($"{count} properties cannot fit in the remaining {reader.Remaining} bytes");
        }

        var properties = new UserProperty[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                int nameLength = reader.ReadUInt16();
                int valueLength = reader.ReadUInt16();
                ushort reserved = reader.ReadUInt16();
                string name = BlobReader.DecodeUtf16(reader.ReadBytes(nameLength, $"the name of property {i}"), Structure, $"the name of property {i}");
                if (name.Length == 0)
                {
                    throw reader.Error($"property {i} has an empty name");
                }

                ReadOnlySpan<byte> hex = reader.ReadBytes(valueLength, $"the value of property {i} ('{name}')");
                byte[] value = DecodeHex(hex, name, out bool uppercase);
                properties[i] = new UserProperty(name, value, reserved, uppercase);
            }

            if (reader.Remaining != 1)
            {
                throw reader.Error($"{reader.Remaining} bytes follow the properties where exactly one (Reserved5) was expected");
            }

            byte reserved5 = reader.ReadByte();
            return new SupplementalCredentialsBlob(properties, reserved4, reserved5, reserved1, reserved2, reserved3, EmptyForm.None);
        }
        catch
        {
            // A malformed blob leaves no decoded secret behind either.
            foreach (UserProperty? property in properties)
            {
                property?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Tries to parse a <c>supplementalCredentials</c> value; a malformed blob gives <see langword="false"/>.</summary>
    /// <param name="blob">The USER_PROPERTIES bytes.</param>
    /// <param name="result">The parsed blob, or <see langword="null"/>.</param>
    /// <returns>Whether the blob was well formed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> blob, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SupplementalCredentialsBlob? result)
    {
        try
        {
            result = Parse(blob);
            return true;
        }
        catch (SupplementalCredentialsFormatException)
        {
            result = null;
            return false;
        }
    }

    /// <summary>Serializes the blob, re-encoding every decoded property.</summary>
    /// <returns>The USER_PROPERTIES bytes.</returns>
    /// <remarks>
    /// The size is computed first, from the decoded structures, and every 16-bit length is checked before anything is
    /// allocated; the result is then written once. A known property is re-encoded into one pinned scratch buffer that
    /// is zeroed right after its hex is written, so no binary copy of a key is left behind.
    /// </remarks>
    /// <exception cref="InvalidOperationException">
    /// A property name or hex value is longer than its 16-bit length field can say (32767 characters of name, 32767
    /// bytes of value), or there are more than 65535 properties. This can happen for a property built in code, or for a parsed <c>Primary:Kerberos*</c> value
    /// whose keys overlapped and so re-encodes larger. The blob is refused rather than written with a wrong length.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The blob was disposed.</exception>
    public byte[] ToByteArray()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool header = _emptyForm != EmptyForm.Short || _properties.Length > 0;
        bool counted = header && (_emptyForm != EmptyForm.NoCount || _properties.Length > 0);
        if (_properties.Length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{Structure}: {_properties.Length} properties do not fit the 16-bit PropertyCount.");
        }

        long size = FixedHeaderSize + (header ? Reserved4Size + 2 : 0) + (counted ? 2 : 0) + 1;
        var valueLengths = new int[_properties.Length];
        for (int i = 0; i < _properties.Length; i++)
        {
            UserProperty property = _properties[i];
            long nameLength = 2L * property.Name.Length;
            long valueLength = EncodedValueLength(property);
            if (nameLength > ushort.MaxValue || 2 * valueLength > ushort.MaxValue)
            {
                throw new InvalidOperationException(
                    $"{Structure}: the property '{(property.Name.Length > 64 ? property.Name[..64] + "..." : property.Name)}' has a {nameLength}-byte name " +
                    $"and a {2 * valueLength}-character hex value; each must fit a 16-bit length (at most {ushort.MaxValue}).");
            }

            valueLengths[i] = (int)valueLength;
            size += 6 + nameLength + (2 * valueLength);
        }

        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException($"{Structure}: the blob would be {size} bytes, more than one array holds.");
        }

        byte[] result = new byte[size];
        var output = new BlobWriter(result);
        output.Write(Reserved1);
        output.Write((uint)(size - ShortEmptySize));
        output.Write(Reserved2);
        output.Write(Reserved3);
        if (header)
        {
            output.Write(_reserved4.Length == Reserved4Size ? _reserved4 : DefaultReserved4());
            output.Write(PropertySignature);
            if (counted)
            {
                output.Write((ushort)_properties.Length);
                for (int i = 0; i < _properties.Length; i++)
                {
                    WriteProperty(ref output, _properties[i], valueLengths[i]);
                }
            }
        }

        output.Write(Reserved5);
        return result;
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

    internal static byte[] EncodePackages(IEnumerable<string> names) => BlobReader.EncodeUtf16(string.Join('\0', names));

    private static byte[] DefaultReserved4()
    {
        byte[] spaces = new byte[Reserved4Size];
        for (int i = 0; i < spaces.Length; i += 2)
        {
            spaces[i] = 0x20;
        }

        return spaces;
    }

    // Known properties are re-encoded from their decoded form, so the round trip exercises the writers.
    private long EncodedValueLength(UserProperty property)
    {
        if (ReferenceEquals(property, _kerberosNewerKeysProperty) && KerberosNewerKeys is not null)
        {
            return KerberosNewerKeys.GetEncodedLength();
        }

        if (ReferenceEquals(property, _kerberosProperty) && Kerberos is not null)
        {
            return Kerberos.GetEncodedLength();
        }

        if (ReferenceEquals(property, _wdigestProperty) && WDigest is not null)
        {
            return WDigest.EncodedLength;
        }

        if (ReferenceEquals(property, _packagesProperty) && Packages is not null)
        {
            return 2L * (Packages.Sum(p => (long)p.Length) + Math.Max(Packages.Count - 1, 0));
        }

        return property.Length;
    }

    private void WriteProperty(ref BlobWriter output, UserProperty property, int valueLength)
    {
        output.Write((ushort)(property.Name.Length * 2));
        output.Write((ushort)(valueLength * 2));
        output.Write(property.Reserved);
        output.WriteUtf16(property.Name);
        bool known = (ReferenceEquals(property, _kerberosNewerKeysProperty) && KerberosNewerKeys is not null)
            || (ReferenceEquals(property, _kerberosProperty) && Kerberos is not null)
            || (ReferenceEquals(property, _wdigestProperty) && WDigest is not null);
        if (!known)
        {
            ReadOnlySpan<byte> value = ReferenceEquals(property, _packagesProperty) && Packages is not null
                ? EncodePackages(Packages)
                : property.Value.Span;
            output.WriteHex(value, property.UppercaseHex);
            return;
        }

        byte[] scratch = SecretBytes.Allocate(valueLength);
        try
        {
            if (ReferenceEquals(property, _kerberosNewerKeysProperty))
            {
                KerberosNewerKeys!.WriteTo(scratch);
            }
            else if (ReferenceEquals(property, _kerberosProperty))
            {
                Kerberos!.WriteTo(scratch);
            }
            else
            {
                WDigest!.WriteTo(scratch);
            }

            output.WriteHex(scratch, property.UppercaseHex);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(scratch);
        }
    }

    private void DisposeDecoded()
    {
        KerberosNewerKeys?.Dispose();
        Kerberos?.Dispose();
        WDigest?.Dispose();
    }

    private bool _disposed;

    private UserProperty? _kerberosNewerKeysProperty;
    private UserProperty? _kerberosProperty;
    private UserProperty? _wdigestProperty;
    private UserProperty? _packagesProperty;

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

    private static byte[] DecodeHex(ReadOnlySpan<byte> hex, string name, out bool uppercase)
    {
        if (hex.Length % 2 != 0)
        {
            throw new SupplementalCredentialsFormatException($"{Structure}: the value of '{name}' has an odd number of hex digits ({hex.Length}).");
        }

        bool sawUpper = false;
        bool sawLower = false;

        // Decoded straight into the one pinned array the property keeps: no scratch copy of the secret.
        byte[] value = SecretBytes.Allocate(hex.Length / 2);
        for (int i = 0; i < value.Length; i++)
        {
            int high = Nibble(hex[2 * i], ref sawUpper, ref sawLower);
            int low = Nibble(hex[(2 * i) + 1], ref sawUpper, ref sawLower);
            if ((high | low) < 0)
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(value);
                throw new SupplementalCredentialsFormatException($"{Structure}: the value of '{name}' holds a byte that is not a hex digit at position {2 * i}.");
            }

            value[i] = (byte)((high << 4) | low);
        }

        // Mixed case cannot be reproduced; such a value re-encodes in lowercase.
        uppercase = sawUpper && !sawLower;
        return value;
    }

    private static int Nibble(byte c, ref bool sawUpper, ref bool sawLower)
    {
        if (c is >= (byte)'0' and <= (byte)'9')
        {
            return c - '0';
        }

        if (c is >= (byte)'a' and <= (byte)'f')
        {
            sawLower = true;
            return c - 'a' + 10;
        }

        if (c is >= (byte)'A' and <= (byte)'F')
        {
            sawUpper = true;
            return c - 'A' + 10;
        }

        return -1;
    }

}
