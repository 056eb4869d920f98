using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Cryptography;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// <c>WDIGEST_CREDENTIALS</c> (MS-SAMR 2.2.10.2), the value of <c>Primary:WDigest</c>: 29 MD5 hashes of
/// <c>user:realm:password</c> in the name and case variants of MS-SAMR 3.1.1.8.11.3.1.
/// </summary>
/// <remarks>
/// Layout: u8 Reserved1 (<c>0x31</c>), u8 Reserved2, u8 Version (1), u8 NumberOfHashes (29), 12 reserved bytes,
/// then NumberOfHashes × 16-byte hashes. The strings are hashed as UTF-8 (what AD and Samba do, although the
/// specification says ISO-8859-1). The hashes are password equivalents for Digest authentication: they are held
/// in pinned arrays that <see cref="Dispose"/> zeroes.
/// </remarks>
public sealed class WDigestCredentials : IDisposable
{
    /// <summary>The number of hashes Active Directory stores.</summary>
    public const int HashCount = 29;

    /// <summary>The size of one hash.</summary>
    public const int HashSize = 16;

    private const int HeaderSize = 16;
    private const string Structure = "Primary:WDigest";
    private const string MagicRealm = "Digest";

    private readonly byte[][] _hashes;
    private readonly byte[] _reserved3;
    private readonly byte[] _trailing;

    /// <summary>Creates the structure from its hashes (Reserved1 = 0x31, Version = 1).</summary>
    /// <param name="hashes">The hashes, 16 bytes each, at most 255.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hashes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A hash is not 16 bytes, or there are more than 255.</exception>
    public WDigestCredentials(IEnumerable<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        _hashes = hashes.Select(h => h is { Length: HashSize } ? SecretBytes.Copy(h) : throw new ArgumentException("Every WDigest hash must be 16 bytes.", nameof(hashes))).ToArray();
        if (_hashes.Length > byte.MaxValue)
        {
            throw new ArgumentException("WDIGEST_CREDENTIALS holds at most 255 hashes.", nameof(hashes));
        }

        Reserved1 = 0x31;
        Version = 1;
        _reserved3 = new byte[12];
        _trailing = [];
    }

    private WDigestCredentials(byte reserved1, byte reserved2, byte version, byte[] reserved3, byte[][] hashes, byte[] trailing)
    {
        Reserved1 = reserved1;
        Reserved2 = reserved2;
        Version = version;
        _reserved3 = reserved3;
        _hashes = hashes;
        _trailing = trailing;
    }

    /// <summary>The first byte (0x31 in every blob seen).</summary>
    public byte Reserved1 { get; }

    /// <summary>The second byte (0).</summary>
    public byte Reserved2 { get; }

    /// <summary>The version (1).</summary>
    public byte Version { get; }

    /// <summary>The hashes, in the order of MS-SAMR 3.1.1.8.11.3.1.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Hashes => _hashes.Select(h => (ReadOnlyMemory<byte>)h).ToArray();

    /// <summary>
    /// Computes the 29 hashes a domain controller stores for <paramref name="password"/> (MS-SAMR 3.1.1.8.11.3.1).
    /// </summary>
    /// <param name="password">The password.</param>
    /// <param name="samAccountName">The <c>sAMAccountName</c>.</param>
    /// <param name="netBiosDomainName">The NetBIOS domain name, for example <c>CONTOSO</c>.</param>
    /// <param name="dnsDomainName">The DNS domain name as configured (case kept), for example <c>Contoso.com</c>.</param>
    /// <param name="userPrincipalName">The UPN; when <see langword="null"/>, <c>sAMAccountName@dnsDomainName</c> is used.</param>
    /// <returns>The structure holding the 29 hashes.</returns>
    /// <exception cref="ArgumentNullException">A name is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="samAccountName"/> is empty.</exception>
    public static WDigestCredentials Compute(ReadOnlySpan<char> password, string samAccountName, string netBiosDomainName, string dnsDomainName, string? userPrincipalName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(samAccountName);
        ArgumentNullException.ThrowIfNull(netBiosDomainName);
        ArgumentNullException.ThrowIfNull(dnsDomainName);
        string upn = userPrincipalName ?? samAccountName + "@" + dnsDomainName;
        string logon = netBiosDomainName + "\\" + samAccountName;
        string sam = samAccountName;
        string nb = netBiosDomainName;
        string dns = dnsDomainName;
        (string User, string Realm)[] inputs =
        [
            (sam, nb), (Lower(sam), Lower(nb)), (Upper(sam), Upper(nb)), (sam, Upper(nb)), (sam, Lower(nb)), (Upper(sam), Lower(nb)), (Lower(sam), Upper(nb)),
            (sam, dns), (Lower(sam), Lower(dns)), (Upper(sam), Upper(dns)), (sam, Upper(dns)), (sam, Lower(dns)), (Upper(sam), Lower(dns)), (Lower(sam), Upper(dns)),
            (upn, string.Empty), (Lower(upn), string.Empty), (Upper(upn), string.Empty),
            (logon, string.Empty), (Lower(logon), string.Empty), (Upper(logon), string.Empty),
            (sam, MagicRealm), (Lower(sam), MagicRealm), (Upper(sam), MagicRealm),
            (upn, MagicRealm), (Lower(upn), MagicRealm), (Upper(upn), MagicRealm),
            (logon, MagicRealm), (Lower(logon), MagicRealm), (Upper(logon), MagicRealm),
        ];

        int passwordBytes = Encoding.UTF8.GetByteCount(password);
        var hashes = new byte[HashCount][];
        for (int i = 0; i < HashCount; i++)
        {
            string prefix = inputs[i].User + ":" + inputs[i].Realm + ":";
            int prefixBytes = Encoding.UTF8.GetByteCount(prefix);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(prefixBytes + passwordBytes);
            try
            {
                Encoding.UTF8.GetBytes(prefix, buffer);
                Encoding.UTF8.GetBytes(password, buffer.AsSpan(prefixBytes));
                hashes[i] = SecretBytes.Allocate(HashSize);
                Md5.HashData(buffer.AsSpan(0, prefixBytes + passwordBytes), hashes[i]);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(buffer);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return new WDigestCredentials(hashes);
    }

    /// <summary>Parses a <c>WDIGEST_CREDENTIALS</c>.</summary>
    /// <param name="data">The decoded property value.</param>
    /// <returns>The structure.</returns>
    /// <exception cref="SupplementalCredentialsFormatException">Shorter than its header or its hash count says.</exception>
    public static WDigestCredentials Parse(ReadOnlySpan<byte> data)
    {
        var reader = new BlobReader(data, Structure);
        byte reserved1 = reader.ReadByte();
        byte reserved2 = reader.ReadByte();
        byte version = reader.ReadByte();
        int count = reader.ReadByte();
        byte[] reserved3 = reader.ReadBytes(12, "the reserved header").ToArray();
        if (count * HashSize > reader.Remaining)
        {
            throw reader.Error($"{count} hashes do not fit in {data.Length} bytes");
        }

        var hashes = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            hashes[i] = SecretBytes.Copy(reader.ReadBytes(HashSize, "a hash"));
        }

        byte[] trailing = SecretBytes.Copy(reader.ReadBytes(reader.Remaining, "trailing bytes"));
        return new WDigestCredentials(reserved1, reserved2, version, reserved3, hashes, trailing);
    }

    /// <summary>Serializes the structure (byte for byte as parsed when it came from <see cref="Parse"/>).</summary>
    /// <returns>The encoded structure.</returns>
    public byte[] ToByteArray()
    {
        byte[] result = new byte[EncodedLength];
        WriteTo(result);
        return result;
    }

    /// <summary>Zeroes the hashes.</summary>
    public void Dispose()
    {
        foreach (byte[] hash in _hashes)
        {
            CryptographicOperations.ZeroMemory(hash);
        }

        CryptographicOperations.ZeroMemory(_trailing);
    }

    /// <summary>The length <see cref="WriteTo"/> writes.</summary>
    internal int EncodedLength => HeaderSize + (_hashes.Length * HashSize) + _trailing.Length;

    /// <summary>Writes the structure into <paramref name="destination"/>, exactly <see cref="EncodedLength"/> bytes.</summary>
    internal void WriteTo(Span<byte> destination)
    {
        destination[0] = Reserved1;
        destination[1] = Reserved2;
        destination[2] = Version;
        destination[3] = (byte)_hashes.Length;
        _reserved3.CopyTo(destination[4..]);
        for (int i = 0; i < _hashes.Length; i++)
        {
            _hashes[i].CopyTo(destination[(HeaderSize + (i * HashSize))..]);
        }

        _trailing.CopyTo(destination[(HeaderSize + (_hashes.Length * HashSize))..]);
    }

    /// <summary>Whether this structure holds the hashes <paramref name="other"/> holds, compared in constant time.</summary>
    /// <param name="other">The other structure.</param>
    /// <returns><see langword="true"/> when the hash lists are identical.</returns>
    public bool HashesEqual(WDigestCredentials other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._hashes.Length != _hashes.Length)
        {
            return false;
        }

        bool equal = true;
        for (int i = 0; i < _hashes.Length; i++)
        {
            equal &= CryptographicOperations.FixedTimeEquals(_hashes[i], other._hashes[i]);
        }

        return equal;
    }

    /// <inheritdoc />
    /// <remarks>The hash count only.</remarks>
    public override string ToString() => $"WDigestCredentials {{ version {Version}, {_hashes.Length} hashes }}";

    private static string Lower(string value) => value.ToLowerInvariant();

    private static string Upper(string value) => value.ToUpperInvariant();
}
