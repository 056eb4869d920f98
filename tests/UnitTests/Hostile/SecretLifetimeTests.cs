using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;
using PasswordHashSync.TestSupport;

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
        byte[] blob = SupplementalCredentialsTestBlob.WithAes256Key(scan.SecretHex);
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
        byte[] blob = SupplementalCredentialsTestBlob.WithAes256Key(scan.SecretHex);
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
            SupplementalCredentials = SupplementalCredentialsTestBlob.WithAes256Key(scan.SecretHex),
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
}
