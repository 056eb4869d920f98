using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// <c>KERB_STORED_CREDENTIAL</c> (revision 3, MS-SAMR 2.2.10.4), the value of <c>Primary:Kerberos</c>: the default
/// salt and the current and old DES keys.
/// </summary>
/// <remarks>
/// Layout (little-endian): u16 Revision=3, u16 Flags, u16 CredentialCount, u16 OldCredentialCount,
/// u16 DefaultSaltLength, u16 DefaultSaltMaximumLength, u32 DefaultSaltOffset, then 20-byte <c>KERB_KEY_DATA</c>
/// entries (u16 Reserved1, u16 Reserved2, u32 Reserved3, u32 KeyType, u32 KeyLength, u32 KeyOffset); offsets count
/// from the start of the structure. The salt is UTF-16LE. <see cref="Dispose"/> zeroes every key.
/// </remarks>
public sealed class KerberosStoredCredential : IDisposable
{
    /// <summary>The revision number of this structure.</summary>
    public const ushort Revision = 3;

    private const int HeaderSize = 16;
    private const int EntrySize = 20;
    private const string Structure = "Primary:Kerberos";

    private readonly KerberosCredentialLayout? _layout;
    private readonly ushort _saltMaximumLength;

    /// <summary>Creates a credential; it serializes in the Windows Server 2008+ layout.</summary>
    /// <param name="defaultSalt">The default salt.</param>
    /// <param name="credentials">The current keys (DES-CBC-MD5, and DES-CBC-CRC on older DCs and Samba).</param>
    /// <param name="oldCredentials">The previous password's keys, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="defaultSalt"/> or <paramref name="credentials"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A list holds more than 65535 keys, or the salt is longer than 32767 characters.</exception>
    public KerberosStoredCredential(string defaultSalt, IEnumerable<KerberosStoredKey> credentials, IEnumerable<KerberosStoredKey>? oldCredentials = null)
    {
        ArgumentNullException.ThrowIfNull(defaultSalt);
        ArgumentNullException.ThrowIfNull(credentials);
        if (defaultSalt.Length > short.MaxValue)
        {
            throw new ArgumentException("The salt must be at most 32767 characters.", nameof(defaultSalt));
        }

        DefaultSalt = defaultSalt;
        Credentials = KerberosStoredKey.CheckList(credentials, nameof(credentials));
        OldCredentials = KerberosStoredKey.CheckList(oldCredentials ?? [], nameof(oldCredentials));
        _saltMaximumLength = (ushort)(defaultSalt.Length * 2);
    }

    private KerberosStoredCredential(ushort flags, string salt, ushort saltMaximumLength, KerberosStoredKey[] current, KerberosStoredKey[] old, KerberosCredentialLayout? layout)
    {
        Flags = flags;
        DefaultSalt = salt;
        _saltMaximumLength = saltMaximumLength;
        Credentials = current;
        OldCredentials = old;
        _layout = layout;
    }

    /// <summary>The Flags field (0 in every blob seen).</summary>
    public ushort Flags { get; init; }

    /// <summary>The default salt, as stored.</summary>
    public string DefaultSalt { get; }

    /// <summary>The keys of the current password.</summary>
    public IReadOnlyList<KerberosStoredKey> Credentials { get; }

    /// <summary>The keys of the previous password.</summary>
    public IReadOnlyList<KerberosStoredKey> OldCredentials { get; }

    /// <summary>The current keys whose types the library supports, with the default salt.</summary>
    /// <returns>The keys, in stored order.</returns>
    public IReadOnlyList<KerberosKey> GetCurrentKeys() => ToKeys(Credentials);

    /// <summary>The previous password's keys whose types the library supports.</summary>
    /// <returns>The keys, in stored order.</returns>
    public IReadOnlyList<KerberosKey> GetOldKeys() => ToKeys(OldCredentials);

    /// <summary>Parses a <c>KERB_STORED_CREDENTIAL</c>.</summary>
    /// <param name="data">The decoded property value.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="SupplementalCredentialsFormatException">Wrong revision, or a count, length or offset outside the data.</exception>
    public static KerberosStoredCredential Parse(ReadOnlySpan<byte> data)
    {
        var reader = new BlobReader(data, Structure);
        ushort revision = reader.ReadUInt16();
        if (revision != Revision)
        {
            throw reader.Error($"revision {revision} where 3 was expected");
        }

        ushort flags = reader.ReadUInt16();
        int count = reader.ReadUInt16();
        int oldCount = reader.ReadUInt16();
        ushort saltLength = reader.ReadUInt16();
        ushort saltMaximumLength = reader.ReadUInt16();
        uint saltOffset = reader.ReadUInt32();
        int total = count + oldCount;
        if ((long)total * EntrySize > reader.Remaining)
        {
            throw reader.Error($"{total} key entries of {EntrySize} bytes do not fit in {data.Length} bytes");
        }

        var keys = new KerberosStoredKey[total];
        var places = new List<(long, long)>(total);
        long keyBytes = 0;
        for (int i = 0; i < total; i++)
        {
            ushort r1 = reader.ReadUInt16();
            ushort r2 = reader.ReadUInt16();
            uint r3 = reader.ReadUInt32();
            uint type = reader.ReadUInt32();
            uint length = reader.ReadUInt32();
            uint offset = reader.ReadUInt32();
            ReadOnlySpan<byte> key = reader.Slice(offset, length, $"key {i}");
            keyBytes = KerberosCredentialLayout.CheckKeyBytes(reader, keyBytes, length, data.Length);
            places.Add((offset, length));
            keys[i] = new KerberosStoredKey((KerberosEncryptionType)(int)type, key) { Reserved1 = r1, Reserved2 = r2, Reserved3 = r3 };
        }

        string salt = BlobReader.DecodeUtf16(reader.Slice(saltOffset, saltLength, "the default salt"), Structure, "the default salt");
        KerberosCredentialLayout? layout = KerberosCredentialLayout.Observe(data, HeaderSize + (total * EntrySize), (saltOffset, saltLength), places);
        return new KerberosStoredCredential(flags, salt, saltMaximumLength, keys[..count], keys[count..], layout);
    }

    /// <summary>Serializes the credential (byte for byte as parsed when it came from <see cref="Parse"/>).</summary>
    /// <returns>The encoded structure.</returns>
    /// <exception cref="ObjectDisposedException">A key was disposed.</exception>
    public byte[] ToByteArray()
    {
        byte[] result = new byte[checked((int)GetEncodedLength())];
        WriteTo(result);
        return result;
    }

    /// <summary>Zeroes every key (current and old).</summary>
    public void Dispose() => KerberosStoredKey.DisposeAll(Credentials, OldCredentials);

    /// <summary>The length <see cref="WriteTo"/> writes, computed without writing anything.</summary>
    internal long GetEncodedLength() => Layout().Place(EntriesEnd, DefaultSalt.Length * 2, AllKeys()).Length;

    /// <summary>Writes the structure into <paramref name="destination"/>, exactly <see cref="GetEncodedLength"/> bytes.</summary>
    internal void WriteTo(Span<byte> destination)
    {
        KerberosStoredKey[] all = AllKeys();
        KerberosCredentialLayout layout = Layout();
        ushort saltLength = (ushort)(DefaultSalt.Length * 2);
        (uint saltOffset, uint[] keyOffsets, _) = layout.Place(EntriesEnd, saltLength, all);
        var output = new BlobWriter(destination);
        output.Write(Revision);
        output.Write(Flags);
        output.Write((ushort)Credentials.Count);
        output.Write((ushort)OldCredentials.Count);
        output.Write(saltLength);
        output.Write(_layout is null ? saltLength : _saltMaximumLength);
        output.Write(saltOffset);
        for (int i = 0; i < all.Length; i++)
        {
            KerberosStoredKey key = all[i];
            output.Write(key.Reserved1);
            output.Write(key.Reserved2);
            output.Write(key.Reserved3);
            output.Write((uint)(int)key.EncryptionType);
            output.Write((uint)key.Length);
            output.Write(keyOffsets[i]);
        }

        layout.WriteData(ref output, DefaultSalt, all);
    }

    private int EntriesEnd => HeaderSize + ((Credentials.Count + OldCredentials.Count) * EntrySize);

    private KerberosStoredKey[] AllKeys() => [.. Credentials, .. OldCredentials];

    private KerberosCredentialLayout Layout() => _layout ?? KerberosCredentialLayout.Canonical(EntrySize, AllKeys().Length);

    /// <inheritdoc />
    /// <remarks>Salt and key counts only; never key bytes.</remarks>
    public override string ToString() =>
        $"KerberosStoredCredential {{ salt '{DefaultSalt}', {Credentials.Count} current, {OldCredentials.Count} old keys }}";

    private List<KerberosKey> ToKeys(IReadOnlyList<KerberosStoredKey> keys) =>
        KerberosStoredKey.ToKerberosKeys(keys, DefaultSalt, 4096);
}
