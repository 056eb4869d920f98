using System.Buffers.Binary;
using System.Security.Cryptography;
using PasswordHashSync.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Replication.Kerberos.Crypto;

/// <summary>
/// rc4-hmac (23), RFC 4757: ciphertext = HMAC-MD5(K1, confounder | plaintext) | RC4(K3, confounder | plaintext) with
/// K1 = HMAC-MD5(key, usage) and K3 = HMAC-MD5(K1, checksum); checksum hmac-md5 (-138). Used only when the caller
/// enables RC4 explicitly: it is the weak type AD keeps for old clients.
/// </summary>
#pragma warning disable CA5351 // RFC 4757 is defined over HMAC-MD5; only used when the caller enables RC4.
internal sealed class Rc4HmacCipher : KerberosCipher
{
    public static readonly Rc4HmacCipher Instance = new();

    private const int Md5Size = 16;

    private Rc4HmacCipher()
    {
    }

    public override KerberosEncryptionType EncryptionType => KerberosEncryptionType.Rc4Hmac;

    public override int KeySize => 16;

    public override int ConfounderSize => 8;

    public override int MacSize => Md5Size;

    public override int ChecksumType => -138;

    public override int ChecksumSize => Md5Size;

    protected override void EncryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> confounder, Span<byte> output)
    {
        Span<byte> k1 = stackalloc byte[Md5Size];
        Span<byte> k3 = stackalloc byte[Md5Size];
        byte[] data = new byte[ConfounderSize + plaintext.Length];
        try
        {
            DeriveK1(key, usage, k1);
            confounder.CopyTo(data);
            plaintext.CopyTo(data.AsSpan(ConfounderSize));
            Span<byte> checksum = output[..Md5Size];
            HMACMD5.HashData(k1, data, checksum);
            HMACMD5.HashData(k1, checksum, k3);
            Rc4.Transform(k3, data, output[Md5Size..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k1);
            CryptographicOperations.ZeroMemory(k3);
            CryptographicOperations.ZeroMemory(data);
        }
    }

    protected override bool TryDecryptCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Span<byte> k1 = stackalloc byte[Md5Size];
        Span<byte> k3 = stackalloc byte[Md5Size];
        Span<byte> expected = stackalloc byte[Md5Size];
        byte[] data = new byte[ciphertext.Length - Md5Size];
        try
        {
            DeriveK1(key, usage, k1);
            ReadOnlySpan<byte> checksum = ciphertext[..Md5Size];
            HMACMD5.HashData(k1, checksum, k3);
            Rc4.Transform(k3, ciphertext[Md5Size..], data);
            HMACMD5.HashData(k1, data, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, checksum))
            {
                return false;
            }

            data.AsSpan(ConfounderSize).CopyTo(plaintext);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k1);
            CryptographicOperations.ZeroMemory(k3);
            CryptographicOperations.ZeroMemory(data);
        }
    }

    protected override void ChecksumCore(ReadOnlySpan<byte> key, int usage, ReadOnlySpan<byte> data, Span<byte> checksum)
    {
        // RFC 4757 section 4: Ksign = HMAC(key, "signaturekey\0"); checksum = HMAC(Ksign, MD5(usage | data)).
        Span<byte> ksign = stackalloc byte[Md5Size];
        Span<byte> digest = stackalloc byte[Md5Size];
        Span<byte> usageBytes = stackalloc byte[4];
        try
        {
            HMACMD5.HashData(key, "signaturekey\0"u8, ksign);
            BinaryPrimitives.WriteInt32LittleEndian(usageBytes, TranslateUsage(usage));
            Md5.HashData(usageBytes, data, digest);
            HMACMD5.HashData(ksign, digest, checksum);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ksign);
        }
    }

    private static void DeriveK1(ReadOnlySpan<byte> key, int usage, Span<byte> k1)
    {
        Span<byte> usageBytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(usageBytes, TranslateUsage(usage));
        HMACMD5.HashData(key, usageBytes, k1);
    }

    // RFC 4757 section 3: the Kerberos usages map onto the Windows message types (3 and 9 -> 8, 23 -> 13).
    private static int TranslateUsage(int usage) => usage switch
    {
        3 => 8,
        9 => 8,
        23 => 13,
        _ => usage,
    };
}
#pragma warning restore CA5351
