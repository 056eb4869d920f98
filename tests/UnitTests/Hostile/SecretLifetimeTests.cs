using System.Buffers.Binary;
using System.Text;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: once a parsed credential is disposed, no copy of its key bytes is left in the process. Measured as the
/// audit did, by scanning all readable process memory for a random AES key after dispose and a full GC: the key
/// enters only as the hex text a supplementalCredentials blob holds, so every raw copy found was made by the library.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public class SecretLifetimeTests
{
    [Fact]
    public void A_parsed_blob_leaves_no_copy_of_the_key_after_dispose()
    {
        using var scan = new ProcessMemoryScanner(32);
        byte[] blob = BlobWithAes256Key(scan.SecretHex);
        Assert.Equal(0, scan.CountCopies());

        using (SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob))
        {
            Assert.Equal(1, scan.CountCopies() > 0 ? 1 : 0); // The scanner does see live copies.
            foreach (KerberosKey key in parsed.GetCurrentKerberosKeys())
            {
                key.Dispose();
            }
        }

        Assert.Equal(0, scan.CountCopies());
    }

    [Fact]
    public void Writing_a_parsed_blob_leaves_no_copy_of_the_key()
    {
        using var scan = new ProcessMemoryScanner(32);
        byte[] blob = BlobWithAes256Key(scan.SecretHex);
        using (SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob))
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(blob, parsed.ToByteArray());
            }
        }

        Assert.Equal(0, scan.CountCopies());
    }

    [Fact]
    public void A_managed_domain_decision_leaves_no_copy_of_the_key_after_dispose()
    {
        using var scan = new ProcessMemoryScanner(32);
        var user = new DirectoryUser
        {
            DistinguishedName = "CN=alice,CN=Users,DC=contoso,DC=com",
            SamAccountName = "alice",
            ObjectGuid = Guid.NewGuid(),
            ObjectClasses = ["top", "person", "organizationalPerson", "user"],
            UserAccountControl = UserAccountControl.NormalAccount,
            NtHash = new byte[16],
            SupplementalCredentials = BlobWithAes256Key(scan.SecretHex),
            PwdLastSet = SyncUsers.T0.ToFileTime(),
            PasswordLastChanged = SyncUsers.T0,
        };
        var planner = new SyncPlanner();
        var settings = new PasswordHashSyncSettings { ManagedDomainEnabled = true };
        for (int i = 0; i < 3; i++)
        {
            SyncDecision decision = planner.Decide(user, settings);
            using ManagedDomainRecord record = Assert.IsType<ManagedDomainRecord>(decision.ManagedDomainRecord);
            Assert.True(record.KerberosKeys[0].Key.Span.SequenceEqual(scan.Secret));
        }

        Assert.Equal(0, scan.CountCopies());
    }

    /// <summary>
    /// USER_PROPERTIES (MS-SAMR 2.2.10.1) with one property, Primary:Kerberos-Newer-Keys, whose KERB_STORED_CREDENTIAL_NEW
    /// (2.2.10.6) holds one AES256 key; built as hex text so the raw key is never in managed memory.
    /// </summary>
    private static byte[] BlobWithAes256Key(string keyHex)
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
        byte[] name = Encoding.Unicode.GetBytes(SupplementalCredentialsPropertyNames.KerberosNewerKeys);

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
