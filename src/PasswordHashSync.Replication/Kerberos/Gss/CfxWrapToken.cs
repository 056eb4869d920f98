using System.Buffers.Binary;
using System.Security.Cryptography;
using PasswordHashSync.Replication.Kerberos.Crypto;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Kerberos.Gss;

/// <summary>
/// RFC 4121 4.2.6.2 wrap tokens with confidentiality, in the DCE style MS-KILE 3.4.5.4.1 describes for DCE/RPC:
/// the sealed data stays in place in the PDU and the rest of the token is the auth_value.
/// </summary>
/// <remarks>
/// <para>Header (16 bytes, big-endian): 05 04, flags (0x01 SentByAcceptor, 0x02 Sealed, 0x04 AcceptorSubkey), FF,
/// EC, RRC, SND_SEQ (64 bits). Sealed: E(Ke, data | EC filler bytes | header with RRC = 0), confounder first.</para>
/// <para>The ciphertext is rotated right by RRC + EC (MS-KILE: "RRC+EC bytes, which is different from RRC alone"), so
/// with EC = 16 and RRC = 16 + MAC length the token after the header is: E(filler, header copy), MAC, E(confounder),
/// then E(data), which is exactly the length of the data and stays where the data was. auth_value =
/// header | everything before E(data): 60 + EC bytes for AES-SHA1 (76 with EC = 16, as Samba sends).</para>
/// </remarks>
internal static class CfxWrapToken
{
    /// <summary>The header length.</summary>
    public const int HeaderSize = 16;

    /// <summary>Flag: the acceptor sent the token.</summary>
    public const byte SentByAcceptor = 0x01;

    /// <summary>Flag: confidentiality (the data is encrypted).</summary>
    public const byte Sealed = 0x02;

    /// <summary>Flag: the acceptor subkey protects the token.</summary>
    public const byte AcceptorSubkey = 0x04;

    /// <summary>The extra count this sender uses: one AES block, as Heimdal does in DCE style and MS-KILE 3.4.5.4.1 recommends.</summary>
    public const int ExtraCount = 16;

    /// <summary>The auth_value length of a sealed PDU under <paramref name="cipher"/>.</summary>
    public static int GetAuthValueLength(KerberosCipher cipher) => HeaderSize + ExtraCount + HeaderSize + cipher.MacSize + cipher.ConfounderSize;

    /// <summary>Encrypts <paramref name="data"/> in place and writes the auth_value.</summary>
    public static void Seal(KerberosCipher cipher, ReadOnlySpan<byte> key, int usage, byte flags, ulong sequenceNumber, Span<byte> data, Span<byte> authValue)
    {
        int rightRotation = HeaderSize + cipher.MacSize;
        if (authValue.Length != GetAuthValueLength(cipher))
        {
            throw new ArgumentException("The auth_value has the wrong length for this cipher.", nameof(authValue));
        }

        Span<byte> header = authValue[..HeaderSize];
        WriteHeader(header, flags, ExtraCount, rightRotation: 0, sequenceNumber);
        byte[] plaintext = new byte[data.Length + ExtraCount + HeaderSize];
        byte[] ciphertext;
        try
        {
            data.CopyTo(plaintext);
            header.CopyTo(plaintext.AsSpan(data.Length + ExtraCount));
            ciphertext = cipher.Encrypt(key, usage, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)rightRotation);

        // Rotated right by RRC + EC: the last (RRC + EC) bytes and the confounder go to the auth_value, E(data) stays.
        int confounder = cipher.ConfounderSize;
        int tail = rightRotation + ExtraCount;
        ciphertext.AsSpan(confounder + data.Length, tail).CopyTo(authValue[HeaderSize..]);
        ciphertext.AsSpan(0, confounder).CopyTo(authValue[(HeaderSize + tail)..]);
        ciphertext.AsSpan(confounder, data.Length).CopyTo(data);
    }

    /// <summary>Verifies the token in <paramref name="authValue"/> over <paramref name="data"/> and decrypts the data in place.</summary>
    /// <exception cref="RpcSecurityException">The token is malformed, out of sequence, or does not verify.</exception>
    public static void Unseal(KerberosCipher cipher, ReadOnlySpan<byte> key, int usage, byte requiredFlags, ulong expectedSequenceNumber, Span<byte> data, ReadOnlySpan<byte> authValue)
    {
        if (authValue.Length < HeaderSize || authValue[0] != 0x05 || authValue[1] != 0x04 || authValue[3] != 0xFF)
        {
            throw new RpcSecurityException("The server's Kerberos wrap token is malformed (not an RFC 4121 wrap token).");
        }

        ReadOnlySpan<byte> header = authValue[..HeaderSize];
        if ((header[2] & requiredFlags) != requiredFlags || (header[2] & ~(SentByAcceptor | Sealed | AcceptorSubkey)) != 0)
        {
            throw new RpcSecurityException($"The server's Kerberos wrap token has flags 0x{header[2]:X2}; sealed tokens from the acceptor need 0x{requiredFlags:X2}.");
        }

        int extraCount = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        int rightRotation = BinaryPrimitives.ReadUInt16BigEndian(header[6..]);
        ulong sequenceNumber = BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
        if (sequenceNumber != expectedSequenceNumber)
        {
            throw new RpcSecurityException($"The server's Kerberos wrap token is out of sequence (got {sequenceNumber}, expected {expectedSequenceNumber}).");
        }

        int total = authValue.Length - HeaderSize + data.Length;
        if (total < cipher.GetCiphertextLength(extraCount + HeaderSize) || (long)rightRotation + extraCount > total)
        {
            throw new RpcSecurityException("The server's Kerberos wrap token is too short for its EC and RRC.");
        }

        // Undo the rotation: the token after the header is auth_value[16..] followed by the sealed data.
        byte[] rotated = new byte[total];
        authValue[HeaderSize..].CopyTo(rotated);
        data.CopyTo(rotated.AsSpan(authValue.Length - HeaderSize));
        int shift = (rightRotation + extraCount) % total;
        byte[] ciphertext = new byte[total];
        rotated.AsSpan(shift).CopyTo(ciphertext);
        rotated.AsSpan(0, shift).CopyTo(ciphertext.AsSpan(total - shift));

        byte[] plaintext;
        try
        {
            plaintext = cipher.Decrypt(key, usage, ciphertext);
        }
        catch (KerberosException e)
        {
            throw new RpcSecurityException("The server's Kerberos wrap token does not verify (integrity check failed).", e);
        }

        try
        {
            int dataLength = plaintext.Length - extraCount - HeaderSize;
            if (dataLength != data.Length)
            {
                throw new RpcSecurityException("The server's Kerberos wrap token covers another length than the PDU's stub.");
            }

            // The encrypted header copy must equal the header, except RRC, which is 0 inside.
            ReadOnlySpan<byte> copy = plaintext.AsSpan(dataLength + extraCount, HeaderSize);
            bool same = copy[..6].SequenceEqual(header[..6]) && copy[6] == 0 && copy[7] == 0 && copy[8..].SequenceEqual(header[8..]);
            if (!same)
            {
                throw new RpcSecurityException("The server's Kerberos wrap token header does not match its encrypted copy.");
            }

            plaintext.AsSpan(0, dataLength).CopyTo(data);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static void WriteHeader(Span<byte> header, byte flags, int extraCount, int rightRotation, ulong sequenceNumber)
    {
        header[0] = 0x05;
        header[1] = 0x04;
        header[2] = flags;
        header[3] = 0xFF;
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)extraCount);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)rightRotation);
        BinaryPrimitives.WriteUInt64BigEndian(header[8..], sequenceNumber);
    }
}
