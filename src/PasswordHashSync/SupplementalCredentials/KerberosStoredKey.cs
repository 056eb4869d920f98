using System.Text;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// One key of a stored Kerberos credential: <c>KERB_KEY_DATA</c> (Primary:Kerberos) or <c>KERB_KEY_DATA_NEW</c>
/// (Primary:Kerberos-Newer-Keys, which adds a per-key iteration count), MS-SAMR 2.2.10.5 / 2.2.10.7.
/// </summary>
/// <remarks>
/// The key is held in one pinned array that <see cref="Dispose"/> zeroes (the credential or blob it came from
/// disposes it too); after that <see cref="Key"/> throws <see cref="ObjectDisposedException"/>.
/// <see cref="ToString"/> never shows the key bytes.
/// </remarks>
public sealed class KerberosStoredKey : IDisposable
{
    private readonly byte[] _key;
    private bool _disposed;

    /// <summary>Creates a key entry; the key bytes are copied.</summary>
    /// <param name="encryptionType">The encryption type (any 32-bit value is kept, known or not).</param>
    /// <param name="key">The key bytes.</param>
    /// <param name="iterationCount">The per-key iteration count (Primary:Kerberos-Newer-Keys only; 0 otherwise).</param>
    public KerberosStoredKey(KerberosEncryptionType encryptionType, ReadOnlySpan<byte> key, uint iterationCount = 0)
    {
        EncryptionType = encryptionType;
        _key = SecretBytes.Copy(key);
        IterationCount = iterationCount;
    }

    /// <summary>The encryption type as stored (may be a value this library does not name, such as a Microsoft-private negative type).</summary>
    public KerberosEncryptionType EncryptionType { get; }

    /// <summary>The key bytes.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public ReadOnlyMemory<byte> Key
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    /// <summary>The key length (also after dispose), for laying out a structure.</summary>
    internal int Length => _key.Length;

    /// <summary>The per-key iteration count stored in <c>KERB_KEY_DATA_NEW</c> (0 in <c>KERB_KEY_DATA</c>).</summary>
    public uint IterationCount { get; }

    /// <summary>The reserved fields, kept as read so a blob re-serializes byte for byte.</summary>
    internal ushort Reserved1 { get; init; }

    internal ushort Reserved2 { get; init; }

    internal uint Reserved3 { get; init; }

    /// <summary>
    /// The key as a <see cref="KerberosKey"/> with <paramref name="salt"/>, or <see langword="null"/> when the encryption
    /// type is not one the library supports or the key length does not fit it.
    /// </summary>
    /// <param name="salt">The salt the key was derived with (the credential's default salt as UTF-8).</param>
    /// <param name="defaultIterationCount">The iteration count to use for AES types when this entry stores 0.</param>
    /// <returns>The key, or <see langword="null"/>.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public KerberosKey? ToKerberosKey(ReadOnlySpan<byte> salt, int defaultIterationCount = 4096)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!KerberosEncryptionTypes.IsSupported(EncryptionType) || KerberosEncryptionTypes.GetKeySize(EncryptionType) != _key.Length)
        {
            return null;
        }

        int iterations = 0;
        if (KerberosEncryptionTypes.UsesIterationCount(EncryptionType))
        {
            iterations = IterationCount is > 0 and <= int.MaxValue ? (int)IterationCount : defaultIterationCount;
        }

        return new KerberosKey(EncryptionType, _key, EncryptionType == KerberosEncryptionType.Rc4Hmac ? default : salt, iterations);
    }

    /// <summary>
    /// The keys of <paramref name="keys"/> whose types the library supports, as <see cref="KerberosKey"/> labelled with
    /// <paramref name="defaultSalt"/> (UTF-8); shared by both stored-credential revisions.
    /// </summary>
    internal static List<KerberosKey> ToKerberosKeys(IReadOnlyList<KerberosStoredKey> keys, string defaultSalt, int defaultIterationCount)
    {
        byte[] salt = Encoding.UTF8.GetBytes(defaultSalt);
        var result = new List<KerberosKey>(keys.Count);
        foreach (KerberosStoredKey key in keys)
        {
            if (key.ToKerberosKey(salt, defaultIterationCount) is KerberosKey converted)
            {
                result.Add(converted);
            }
        }

        return result;
    }

    /// <summary>Copies a caller's key list, refusing null entries and more keys than a 16-bit count can hold.</summary>
    internal static KerberosStoredKey[] CheckList(IEnumerable<KerberosStoredKey> keys, string parameterName)
    {
        KerberosStoredKey[] array = keys.ToArray();
        if (array.Length > ushort.MaxValue)
        {
            throw new ArgumentException("A key list holds at most 65535 keys.", parameterName);
        }

        foreach (KerberosStoredKey key in array)
        {
            ArgumentNullException.ThrowIfNull(key, parameterName);
        }

        return array;
    }

    /// <summary>Zeroes the key.</summary>
    public void Dispose()
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(_key);
        _disposed = true;
    }

    /// <summary>Disposes every key of the lists.</summary>
    internal static void DisposeAll(params IReadOnlyList<KerberosStoredKey>[] lists)
    {
        foreach (IReadOnlyList<KerberosStoredKey> list in lists)
        {
            foreach (KerberosStoredKey key in list)
            {
                key.Dispose();
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Type, length and iteration count only; never the key.</remarks>
    public override string ToString()
    {
        string name = KerberosEncryptionTypes.IsSupported(EncryptionType) ? KerberosEncryptionTypes.GetName(EncryptionType) : $"etype {(int)EncryptionType}";
        return $"KerberosStoredKey {{ {name}, {_key.Length} bytes, {IterationCount} iterations }}";
    }
}
