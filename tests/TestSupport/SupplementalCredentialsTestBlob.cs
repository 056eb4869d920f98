using System.Buffers.Binary;
using System.Text;

namespace PasswordHashSync.TestSupport;

/// <summary>supplementalCredentials blobs for the secret-lifetime measurements (in process and in a child process).</summary>
public static class SupplementalCredentialsTestBlob
{
    /// <summary>
    /// USER_PROPERTIES (MS-SAMR 2.2.10.1) with one property, Primary:Kerberos-Newer-Keys, whose KERB_STORED_CREDENTIAL_NEW
    /// (2.2.10.6) holds one AES256 key; built as hex text so the raw key is never in managed memory.
    /// </summary>
    /// <param name="keyHex">The 32-byte key in hex.</param>
    /// <returns>The blob.</returns>
    /// <remarks>Realm CONTOSO.COM, account alice, 4096 iterations.</remarks>
    public static byte[] WithAes256Key(string keyHex)
    {
        byte[] salt = Encoding.Unicode.GetBytes("CONTOSO.COMalice");
        const int entriesEnd = 24 + 24;
        var header = new byte[entriesEnd];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 4); // Revision
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 1); // CredentialCount
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), (ushort)salt.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), (ushort)salt.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), entriesEnd); // DefaultSaltOffset
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24 + 8), 4096); // KERB_KEY_DATA_NEW.IterationCount
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24 + 12), 18); // KeyType aes256-cts-hmac-sha1-96
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24 + 16), 32);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24 + 20), (uint)(entriesEnd + salt.Length));
        byte[] valueHex = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(header) + Convert.ToHexStringLower(salt) + keyHex.ToLowerInvariant());
        byte[] name = Encoding.Unicode.GetBytes("Primary:Kerberos-Newer-Keys");

        var blob = new List<byte>();
        blob.AddRange(new byte[12]);
        for (int i = 0; i < 48; i++)
        {
            blob.AddRange([0x20, 0x00]); // Reserved4: 48 UTF-16 spaces
        }

        blob.AddRange([0x50, 0x00, 0x01, 0x00]); // PropertySignature, PropertyCount = 1
        blob.AddRange(BitConverter.GetBytes((ushort)name.Length));
        blob.AddRange(BitConverter.GetBytes((ushort)valueHex.Length));
        blob.AddRange([0x01, 0x00]);
        blob.AddRange(name);
        blob.AddRange(valueHex);
        blob.Add(0);
        byte[] result = [.. blob];
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 13));
        return result;
    }
}
