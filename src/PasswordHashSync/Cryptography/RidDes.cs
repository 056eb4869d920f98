using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PasswordHashSync.Cryptography;

/// <summary>
/// The RID-keyed DES layer of MS-SAMR 2.2.11.1.3 (RtlEncryptNtOwfPwdWithIndex / RtlDecryptNtOwfPwdWithIndex):
/// each 16-byte hash is two DES-ECB blocks under two keys spread out of the 4-byte RID.
/// </summary>
internal static class RidDes
{
    public const int BlockSize = 16;

    /// <summary>Decrypts (or encrypts) one 16-byte hash with the keys derived from <paramref name="rid"/>.</summary>
    public static void Transform(bool encrypt, uint rid, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Span<byte> r = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(r, rid);
        Span<byte> k7 = stackalloc byte[7];
        Span<byte> key1 = stackalloc byte[8];
        Span<byte> key2 = stackalloc byte[8];
        k7[0] = r[0]; k7[1] = r[1]; k7[2] = r[2]; k7[3] = r[3]; k7[4] = r[0]; k7[5] = r[1]; k7[6] = r[2];
        DesBlock.ExpandKey(k7, key1);
        k7[0] = r[3]; k7[1] = r[0]; k7[2] = r[1]; k7[3] = r[2]; k7[4] = r[3]; k7[5] = r[0]; k7[6] = r[1];
        DesBlock.ExpandKey(k7, key2);
        DesBlock.Process(encrypt, key1, input[..8], output[..8]);
        DesBlock.Process(encrypt, key2, input.Slice(8, 8), output.Slice(8, 8));
        CryptographicOperations.ZeroMemory(key1);
        CryptographicOperations.ZeroMemory(key2);
    }
}
