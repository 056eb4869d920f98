using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// <c>KERB_STORED_CREDENTIAL_NEW</c> (revision 4, MS-SAMR 2.2.10.6), the value of <c>Primary:Kerberos-Newer-Keys</c>:
/// the default salt, the default iteration count, and the current, service, old and older keys.
/// </summary>
/// <remarks>
/// Layout (little-endian): u16 Revision=4, u16 Flags, u16 CredentialCount, u16 ServiceCredentialCount,
/// u16 OldCredentialCount, u16 OlderCredentialCount, u16 DefaultSaltLength, u16 DefaultSaltMaximumLength,
/// u32 DefaultSaltOffset, u32 DefaultIterationCount, then 24-byte <c>KERB_KEY_DATA_NEW</c> entries
/// (u16 Reserved1, u16 Reserved2, u32 Reserved3, u32 IterationCount, u32 KeyType, u32 KeyLength, u32 KeyOffset);
/// offsets count from the start of the structure. The salt is UTF-16LE. <see cref="Dispose"/> zeroes every key.
/// </remarks>
public sealed class KerberosNewerKeysCredential : IDisposable
{
    /// <summary>The revision number of this structure.</summary>
    public const ushort Revision = 4;

    private const int HeaderSize = 24;
    private const int EntrySize = 24;
    private const string Structure = "Primary:Kerberos-Newer-Keys";

    private readonly KerberosCredentialLayout? _layout;
    private readonly ushort _saltMaximumLength;

    /// <summary>Creates a credential; it serializes in the Windows Server 2008+ layout.</summary>
    /// <param name="defaultSalt">The default salt (for example <c>CONTOSO.COMalice</c>).</param>
    /// <param name="defaultIterationCount">The default iteration count (4096 in Active Directory).</param>
    /// <param name="credentials">The current keys.</param>
    /// <param name="oldCredentials">The keys of the previous password, or <see langword="null"/>.</param>
    /// <param name="olderCredentials">The keys of the password before that, or <see langword="null"/>.</param>
    /// <param name="serviceCredentials">Service keys (never seen populated), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="defaultSalt"/> or <paramref name="credentials"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A list holds more than 65535 keys, or the salt is longer than 32767 characters.</exception>
    public KerberosNewerKeysCredential(
        string defaultSalt,
        uint defaultIterationCount,
        IEnumerable<KerberosStoredKey> credentials,
        IEnumerable<KerberosStoredKey>? oldCredentials = null,
        IEnumerable<KerberosStoredKey>? olderCredentials = null,
        IEnumerable<KerberosStoredKey>? serviceCredentials = null)
    {
        ArgumentNullException.ThrowIfNull(defaultSalt);
        ArgumentNullException.ThrowIfNull(credentials);
        DefaultSalt = defaultSalt;
        DefaultIterationCount = defaultIterationCount;
        Credentials = KerberosStoredKey.CheckList(credentials, nameof(credentials));
        ServiceCredentials = KerberosStoredKey.CheckList(serviceCredentials ?? [], nameof(serviceCredentials));
        OldCredentials = KerberosStoredKey.CheckList(oldCredentials ?? [], nameof(oldCredentials));
        OlderCredentials = KerberosStoredKey.CheckList(olderCredentials ?? [], nameof(olderCredentials));
        if (defaultSalt.Length > short.MaxValue)
        {
            throw new ArgumentException("The salt must be at most 32767 characters.", nameof(defaultSalt));
        }

        _saltMaximumLength = (ushort)(defaultSalt.Length * 2);
    }

    private KerberosNewerKeysCredential(
        ushort flags,
        string salt,
        ushort saltMaximumLength,
        uint iterations,
        KerberosStoredKey[][] lists,
        KerberosCredentialLayout? layout)
    {
        Flags = flags;
        DefaultSalt = salt;
        _saltMaximumLength = saltMaximumLength;
        DefaultIterationCount = iterations;
        Credentials = lists[0];
        ServiceCredentials = lists[1];
        OldCredentials = lists[2];
        OlderCredentials = lists[3];
        _layout = layout;
    }

    /// <summary>The Flags field (0 in every blob seen).</summary>
    public ushort Flags { get; init; }

    /// <summary>The default salt, as stored (UTF-16 code units, lone surrogates kept).</summary>
    public string DefaultSalt { get; }

    /// <summary>The default iteration count (4096 in Active Directory).</summary>
    public uint DefaultIterationCount { get; }

    /// <summary>The keys of the current password (Windows: AES256, AES128, DES-CBC-MD5; Samba adds DES-CBC-CRC).</summary>
    public IReadOnlyList<KerberosStoredKey> Credentials { get; }

    /// <summary>Service keys (ServiceCredentialCount; 0 in every blob seen).</summary>
    public IReadOnlyList<KerberosStoredKey> ServiceCredentials { get; }

    /// <summary>The keys of the previous password.</summary>
    public IReadOnlyList<KerberosStoredKey> OldCredentials { get; }

    /// <summary>The keys of the password before the previous one.</summary>
    public IReadOnlyList<KerberosStoredKey> OlderCredentials { get; }

    /// <summary>The current keys whose types the library supports, as <see cref="KerberosKey"/> with the default salt.</summary>
    /// <returns>The keys, in stored order.</returns>
    public IReadOnlyList<KerberosKey> GetCurrentKeys() => ToKeys(Credentials);

    /// <summary>The previous password's keys whose types the library supports, labelled with the current default salt.</summary>
    /// <returns>The keys, in stored order.</returns>
    /// <remarks>
    /// The structure stores one salt only. Old keys keep the salt they were derived with, so after a rename or a UPN
    /// change (seen on a real Samba DC) their real salt differs from <see cref="DefaultSalt"/>.
    /// </remarks>
    public IReadOnlyList<KerberosKey> GetOldKeys() => ToKeys(OldCredentials);

    /// <summary>The keys of the password before the previous one whose types the library supports, labelled with the current default salt.</summary>
    /// <returns>The keys, in stored order.</returns>
    /// <remarks>As for <see cref="GetOldKeys"/>, the real salt may differ from <see cref="DefaultSalt"/>.</remarks>
    public IReadOnlyList<KerberosKey> GetOlderKeys() => ToKeys(OlderCredentials);

    /// <summary>Parses a <c>KERB_STORED_CREDENTIAL_NEW</c>.</summary>
    /// <param name="data">The decoded property value.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="SupplementalCredentialsFormatException">Wrong revision, or a count, length or offset outside the data.</exception>
    public static KerberosNewerKeysCredential Parse(ReadOnlySpan<byte> data)
    {
        var reader = new BlobReader(data, Structure);
        ushort revision = reader.ReadUInt16();
        if (revision != Revision)
        {
            throw reader.Error($"revision {revision} where 4 was expected");
        }

        ushort flags = reader.ReadUInt16();
        Span<int> counts = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            counts[i] = reader.ReadUInt16();
        }

        ushort saltLength = reader.ReadUInt16();
        ushort saltMaximumLength = reader.ReadUInt16();
        uint saltOffset = reader.ReadUInt32();
        uint iterations = reader.ReadUInt32();
        int total = counts[0] + counts[1] + counts[2] + counts[3];
        if ((long)total * EntrySize > reader.Remaining)
        {
            throw reader.Error($"{total} key entries of {EntrySize} bytes do not fit in {data.Length} bytes");
        }

        var lists = new KerberosStoredKey[4][];
        var places = new List<(long, long)>(total);
        long keyBytes = 0;
        for (int list = 0; list < 4; list++)
        {
            lists[list] = new KerberosStoredKey[counts[list]];
            for (int i = 0; i < counts[list]; i++)
            {
                ushort r1 = reader.ReadUInt16();
                ushort r2 = reader.ReadUInt16();
                uint r3 = reader.ReadUInt32();
                uint keyIterations = reader.ReadUInt32();
                uint type = reader.ReadUInt32();
                uint length = reader.ReadUInt32();
                uint offset = reader.ReadUInt32();
                ReadOnlySpan<byte> key = reader.Slice(offset, length, $"key {places.Count}");
                keyBytes = KerberosCredentialLayout.CheckKeyBytes(reader, keyBytes, length, data.Length);
                places.Add((offset, length));
                lists[list][i] = new KerberosStoredKey((KerberosEncryptionType)(int)type, key, keyIterations) { Reserved1 = r1, Reserved2 = r2, Reserved3 = r3 };
            }
        }

        string salt = BlobReader.DecodeUtf16(reader.Slice(saltOffset, saltLength, "the default salt"), Structure, "the default salt");
        KerberosCredentialLayout? layout = KerberosCredentialLayout.Observe(data, HeaderSize + (total * EntrySize), (saltOffset, saltLength), places);
        return new KerberosNewerKeysCredential(flags, salt, saltMaximumLength, iterations, lists, layout);
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

    /// <summary>Zeroes every key (current, service, old and older).</summary>
    public void Dispose() => KerberosStoredKey.DisposeAll(Credentials, ServiceCredentials, OldCredentials, OlderCredentials);

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
        output.Write((ushort)ServiceCredentials.Count);
        output.Write((ushort)OldCredentials.Count);
        output.Write((ushort)OlderCredentials.Count);
        output.Write(saltLength);
        output.Write(_layout is null ? saltLength : _saltMaximumLength);
        output.Write(saltOffset);
        output.Write(DefaultIterationCount);
        for (int i = 0; i < all.Length; i++)
        {
            KerberosStoredKey key = all[i];
            output.Write(key.Reserved1);
            output.Write(key.Reserved2);
            output.Write(key.Reserved3);
            output.Write(key.IterationCount);
            output.Write((uint)(int)key.EncryptionType);
            output.Write((uint)key.Length);
            output.Write(keyOffsets[i]);
        }

        layout.WriteData(ref output, DefaultSalt, all);
    }

    private int EntriesEnd => HeaderSize + ((Credentials.Count + ServiceCredentials.Count + OldCredentials.Count + OlderCredentials.Count) * EntrySize);

    private KerberosStoredKey[] AllKeys() => [.. Credentials, .. ServiceCredentials, .. OldCredentials, .. OlderCredentials];

    private KerberosCredentialLayout Layout() => _layout ?? KerberosCredentialLayout.Canonical(EntrySize, AllKeys().Length);

    /// <inheritdoc />
    /// <remarks>Salt and key counts only; never key bytes.</remarks>
    public override string ToString() =>
        $"KerberosNewerKeysCredential {{ salt '{DefaultSalt}', {DefaultIterationCount} iterations, {Credentials.Count} current, {OldCredentials.Count} old, {OlderCredentials.Count} older keys }}";

    private List<KerberosKey> ToKeys(IReadOnlyList<KerberosStoredKey> keys) =>
        KerberosStoredKey.ToKerberosKeys(keys, DefaultSalt, DefaultIterationCount is > 0 and <= int.MaxValue ? (int)DefaultIterationCount : 4096);
}
