using System.Security.Cryptography;
using System.Text;

namespace PasswordHashSync.Kerberos;

/// <summary>
/// A Kerberos long-term key: encryption type, key bytes, and the salt and iteration count it was derived with.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never shows the key bytes. <see cref="Dispose"/> zeroes them (the array is pinned, so the
/// garbage collector leaves no moved copy behind). The bytes are the key's own pinned array, or its own slice of one
/// pinned array shared with other keys a reader decoded (<see cref="AdoptSlice"/>); the slice is never handed to another key.
/// </remarks>
public sealed class KerberosKey : IDisposable
{
    private readonly Memory<byte> _key;
    private readonly byte[] _salt;

    /// <summary>Creates a key from its parts; the byte spans are copied.</summary>
    /// <param name="encryptionType">The encryption type.</param>
    /// <param name="key">The key bytes; the length must match <paramref name="encryptionType"/>.</param>
    /// <param name="salt">The salt the key was derived with (empty for RC4-HMAC).</param>
    /// <param name="iterationCount">The string-to-key iteration count (0 where the type has none).</param>
    /// <exception cref="ArgumentException">The key length does not match the encryption type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The type is unknown or the iteration count is negative.</exception>
    public KerberosKey(KerberosEncryptionType encryptionType, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, int iterationCount)
    {
        int expected = KerberosEncryptionTypes.GetKeySize(encryptionType);
        if (key.Length != expected)
        {
            throw new ArgumentException($"A {KerberosEncryptionTypes.GetName(encryptionType)} key must be {expected} bytes, not {key.Length}.", nameof(key));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(iterationCount);
        EncryptionType = encryptionType;
        _key = SecretBytes.Copy(key);
        _salt = salt.ToArray();
        IterationCount = iterationCount;
    }

    private KerberosKey(KerberosEncryptionType encryptionType, Memory<byte> ownedKey, byte[] sharedSalt, int iterationCount)
    {
        EncryptionType = encryptionType;
        _key = ownedKey;
        _salt = sharedSalt;
        IterationCount = iterationCount;
    }

    /// <summary>The encryption type.</summary>
    public KerberosEncryptionType EncryptionType { get; }

    /// <summary>The key bytes.</summary>
    public ReadOnlyMemory<byte> Key => _key;

    /// <summary>The salt bytes (empty for RC4-HMAC).</summary>
    public ReadOnlyMemory<byte> Salt => _salt;

    /// <summary>The string-to-key iteration count, or 0 for types without one (DES, RC4-HMAC).</summary>
    public int IterationCount { get; }

    /// <summary>
    /// A key that takes <paramref name="ownedKey"/> as its own (a pinned array from <see cref="SecretBytes.Allocate"/>, of
    /// the type's size, zeroed by <see cref="Dispose"/>) and shares <paramref name="sharedSalt"/> (never written), so a
    /// reader can decode the key straight into its final place: no copy is made.
    /// </summary>
    internal static KerberosKey Adopt(KerberosEncryptionType encryptionType, byte[] ownedKey, byte[] sharedSalt, int iterationCount)
    {
        if (ownedKey.Length != KerberosEncryptionTypes.GetKeySize(encryptionType) || iterationCount < 0)
        {
            throw new ArgumentException("The adopted key does not fit its encryption type.", nameof(ownedKey));
        }

        return new KerberosKey(encryptionType, ownedKey.AsMemory(), sharedSalt, iterationCount);
    }

    /// <summary>
    /// <see cref="Adopt"/> for a slice: the key takes <paramref name="length"/> bytes at <paramref name="offset"/> of
    /// <paramref name="pinnedKeys"/> (from <see cref="SecretBytes.Allocate"/>) as its own and zeroes only them, so one
    /// pinned allocation holds the keys of many accounts (each pinned allocation takes the runtime's lock for the
    /// pinned heap: four per user were 5 % of a sync's CPU).
    /// </summary>
    internal static KerberosKey AdoptSlice(KerberosEncryptionType encryptionType, byte[] pinnedKeys, int offset, int length, byte[] sharedSalt, int iterationCount)
    {
        if (length != KerberosEncryptionTypes.GetKeySize(encryptionType) || iterationCount < 0)
        {
            throw new ArgumentException("The adopted key does not fit its encryption type.", nameof(length));
        }

        return new KerberosKey(encryptionType, pinnedKeys.AsMemory(offset, length), sharedSalt, iterationCount);
    }

    /// <summary>Zeroes the key bytes.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_key.Span);

    /// <inheritdoc />
    /// <remarks>Shows the type, key length, salt and iteration count; never the key.</remarks>
    public override string ToString()
    {
        string salt = _salt.Length == 0 ? "none" : FormatSalt(_salt);
        return $"KerberosKey {{ {KerberosEncryptionTypes.GetName(EncryptionType)}, {_key.Length} bytes, salt {salt}, {IterationCount} iterations }}";
    }

    private static string FormatSalt(byte[] salt)
    {
        try
        {
            string text = new UTF8Encoding(false, true).GetString(salt);
            foreach (char c in text)
            {
                if (char.IsControl(c))
                {
                    return "0x" + Convert.ToHexStringLower(salt);
                }
            }

            return "'" + text + "'";
        }
        catch (DecoderFallbackException)
        {
            return "0x" + Convert.ToHexStringLower(salt);
        }
    }
}
