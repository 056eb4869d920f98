using System.Buffers.Binary;
using System.Security.Cryptography;
using PasswordHashSync.Cryptography;

namespace PasswordHashSync.Replication;

/// <summary>
/// Decrypts the secret attributes of an MS-DRSR replication reply: the MD5/RC4/CRC-32 envelope
/// (MS-DRSR 4.1.10.6.17) and, for hash attributes, the RID-keyed DES layer (MS-SAMR 2.2.11.1).
/// </summary>
/// <remarks>
/// <para>Envelope: <c>salt[16] || RC4(MD5(sessionKey || salt), crc32[4] || secret)</c>, the CRC little-endian.</para>
/// <para>The RPC session key can change in the middle of a replication cycle, so the decryptor keeps every
/// session key it was given and uses the newest one whose CRC matches. MD5, RC4 and DES are managed code, so this
/// works on hosts whose platform MD5/DES are disabled (FIPS mode). Not thread-safe while keys are being added.</para>
/// </remarks>
public sealed class ReplicatedSecretDecryptor : IDisposable
{
    /// <summary>The size of the envelope salt.</summary>
    public const int SaltSize = 16;

    /// <summary>The smallest session key accepted (NTLM session keys are 16 bytes, Kerberos ones 16 or 32).</summary>
    public const int MinSessionKeySize = 16;

    private const int CrcSize = 4;
    private readonly List<byte[]> _sessionKeys = [];
    private bool _disposed;

    /// <summary>Creates a decryptor with its first session key.</summary>
    /// <param name="sessionKey">The RPC session key of the DRS binding; copied.</param>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="MinSessionKeySize"/> bytes.</exception>
    public ReplicatedSecretDecryptor(ReadOnlySpan<byte> sessionKey) => AddSessionKey(sessionKey);

    /// <summary>Creates a decryptor with its first session key.</summary>
    /// <param name="sessionKey">The RPC session key of the DRS binding; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sessionKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="MinSessionKeySize"/> bytes.</exception>
    public ReplicatedSecretDecryptor(byte[] sessionKey)
        : this(new ReadOnlySpan<byte>(sessionKey ?? throw new ArgumentNullException(nameof(sessionKey))))
    {
    }

    /// <summary>The number of session keys held.</summary>
    public int SessionKeyCount => _sessionKeys.Count;

    /// <summary>
    /// Adds a session key (after a re-bind or renegotiation). It is tried first from now on; the older keys stay
    /// as fallbacks for secrets still encrypted under them.
    /// </summary>
    /// <param name="sessionKey">The new session key; copied. Adding a key already held only moves it to the front.</param>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="MinSessionKeySize"/> bytes.</exception>
    /// <exception cref="ObjectDisposedException">The decryptor was disposed.</exception>
    public void AddSessionKey(ReadOnlySpan<byte> sessionKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (sessionKey.Length < MinSessionKeySize)
        {
            throw new ArgumentException($"A session key must be at least {MinSessionKeySize} bytes, not {sessionKey.Length}.", nameof(sessionKey));
        }

        for (int i = 0; i < _sessionKeys.Count; i++)
        {
            if (sessionKey.SequenceEqual(_sessionKeys[i]))
            {
                byte[] existing = _sessionKeys[i];
                _sessionKeys.RemoveAt(i);
                _sessionKeys.Insert(0, existing);
                return;
            }
        }

        _sessionKeys.Insert(0, sessionKey.ToArray());
    }

    /// <summary>The plaintext length of an envelope of <paramref name="encryptedLength"/> bytes, or -1 when it is too short.</summary>
    /// <param name="encryptedLength">The length of the encrypted attribute value.</param>
    /// <returns>The secret length.</returns>
    public static int GetSecretLength(int encryptedLength) => encryptedLength < SaltSize + CrcSize ? -1 : encryptedLength - SaltSize - CrcSize;

    /// <summary>
    /// Removes the envelope (MD5/RC4/CRC-32) only, writing the secret to <paramref name="destination"/>.
    /// </summary>
    /// <param name="encrypted">The attribute value as replicated: salt, then the RC4 ciphertext.</param>
    /// <param name="destination">Receives the secret; at least <see cref="GetSecretLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    /// <exception cref="ReplicatedSecretDecryptionException">Too short, or no session key gives a matching CRC; <paramref name="destination"/> is left zeroed.</exception>
    public int DecryptEnvelope(ReadOnlySpan<byte> encrypted, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int secretLength = GetSecretLength(encrypted.Length);
        if (secretLength < 0)
        {
            throw new ReplicatedSecretDecryptionException(
                $"A replicated secret must be at least {SaltSize + CrcSize} bytes (16-byte salt and 4-byte checksum); this one has {encrypted.Length}.");
        }

        if (destination.Length < secretLength)
        {
            throw new ArgumentException($"The destination must hold at least {secretLength} bytes.", nameof(destination));
        }

        ReadOnlySpan<byte> salt = encrypted[..SaltSize];
        ReadOnlySpan<byte> cipher = encrypted[SaltSize..];
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(cipher.Length);
        Span<byte> plain = rented.AsSpan(0, cipher.Length);
        Span<byte> rc4Key = stackalloc byte[Md5.HashSizeInBytes];
        try
        {
            foreach (byte[] sessionKey in _sessionKeys)
            {
                Md5.HashData(sessionKey, salt, rc4Key);
                Rc4.Transform(rc4Key, cipher, plain);
                uint expected = BinaryPrimitives.ReadUInt32LittleEndian(plain);
                ReadOnlySpan<byte> secret = plain[CrcSize..];
                if (Crc32.Compute(secret) == expected)
                {
                    secret.CopyTo(destination);
                    return secretLength;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rc4Key);
            CryptographicOperations.ZeroMemory(plain);
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        destination[..secretLength].Clear();
        throw new ReplicatedSecretDecryptionException(
            $"The replicated secret's CRC-32 did not match under any of the {_sessionKeys.Count} known session key(s): wrong session key or corrupted value.");
    }

    /// <summary>Removes the envelope only and returns the secret.</summary>
    /// <param name="encrypted">The attribute value as replicated.</param>
    /// <returns>The secret bytes.</returns>
    /// <exception cref="ReplicatedSecretDecryptionException">Too short, or no session key gives a matching CRC.</exception>
    public byte[] DecryptEnvelope(ReadOnlySpan<byte> encrypted)
    {
        int length = GetSecretLength(encrypted.Length);
        byte[] secret = new byte[Math.Max(length, 0)];
        DecryptEnvelope(encrypted, secret);
        return secret;
    }

    /// <summary>
    /// Decrypts one replicated attribute value completely: the envelope, then the RID-keyed DES layer for
    /// <c>unicodePwd</c>, <c>dBCSPwd</c>, <c>ntPwdHistory</c> and <c>lmPwdHistory</c>.
    /// </summary>
    /// <param name="kind">Which attribute the value belongs to.</param>
    /// <param name="encrypted">The attribute value as replicated.</param>
    /// <param name="rid">The RID of the account (the last sub-authority of its objectSid); unused for other attributes.</param>
    /// <returns>The plaintext value (an NT/LM hash, a history of 16-byte hashes, or a USER_PROPERTIES blob). An empty value gives an empty result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined.</exception>
    /// <exception cref="ReplicatedSecretDecryptionException">Bad envelope, or a hash value whose length is not a multiple of 16.</exception>
    /// <exception cref="ObjectDisposedException">The decryptor has been disposed.</exception>
    public byte[] Decrypt(ReplicatedSecretKind kind, ReadOnlySpan<byte> encrypted, uint rid)
    {
        // Checked first so that a disposed decryptor fails the same way whether or not the value is empty.
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown replicated secret attribute.");
        }

        // DCs replicate a cleared secret as an empty value; it means "absent", not a corrupted blob.
        if (encrypted.IsEmpty)
        {
            return [];
        }

        byte[] secret = DecryptEnvelope(encrypted);
        if (kind > ReplicatedSecretKind.LmPwdHistory)
        {
            return secret;
        }

        bool single = kind is ReplicatedSecretKind.UnicodePwd or ReplicatedSecretKind.DbcsPwd;
        if ((single && secret.Length != RidDes.BlockSize) || secret.Length % RidDes.BlockSize != 0)
        {
            int length = secret.Length;
            CryptographicOperations.ZeroMemory(secret);
            throw new ReplicatedSecretDecryptionException(single
                ? $"A decrypted {kind} value must be 16 bytes, not {length}."
                : $"A decrypted {kind} value must be a multiple of 16 bytes, not {length}.");
        }

        Span<byte> block = stackalloc byte[RidDes.BlockSize];
        for (int offset = 0; offset < secret.Length; offset += RidDes.BlockSize)
        {
            Span<byte> chunk = secret.AsSpan(offset, RidDes.BlockSize);
            RidDes.Transform(false, rid, chunk, block);
            block.CopyTo(chunk);
        }

        CryptographicOperations.ZeroMemory(block);
        return secret;
    }

    /// <summary>Decrypts a replicated <c>unicodePwd</c> value to the 16-byte NT hash.</summary>
    /// <param name="encrypted">The attribute value as replicated.</param>
    /// <param name="rid">The account's RID.</param>
    /// <returns>The NT hash, or an empty array for an empty value.</returns>
    /// <exception cref="ReplicatedSecretDecryptionException">Bad envelope or wrong length.</exception>
    public byte[] DecryptNtHash(ReadOnlySpan<byte> encrypted, uint rid) => Decrypt(ReplicatedSecretKind.UnicodePwd, encrypted, rid);

    /// <summary>Zeroes and forgets every session key.</summary>
    public void Dispose()
    {
        foreach (byte[] key in _sessionKeys)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        _sessionKeys.Clear();
        _disposed = true;
    }

    /// <summary>Builds an envelope (the DC side); for tests and tools that simulate a replication source.</summary>
    internal static byte[] EncryptEnvelope(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> secret)
    {
        byte[] plain = new byte[CrcSize + secret.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(plain, Crc32.Compute(secret));
        secret.CopyTo(plain.AsSpan(CrcSize));
        byte[] result = new byte[SaltSize + plain.Length];
        salt.CopyTo(result);
        Span<byte> rc4Key = stackalloc byte[Md5.HashSizeInBytes];
        Md5.HashData(sessionKey, salt, rc4Key);
        Rc4.Transform(rc4Key, plain, result.AsSpan(SaltSize));
        CryptographicOperations.ZeroMemory(plain);
        return result;
    }
}
