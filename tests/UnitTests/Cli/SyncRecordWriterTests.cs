using System.Text;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Digest;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// <see cref="SyncRecordWriter"/> formats each record into its own buffer; its bytes must be those of the
/// Utf8JsonWriter form it replaced (<see cref="ReferenceSyncRecordWriter"/>), escaping included.
/// </summary>
public sealed class SyncRecordWriterTests
{
    public static TheoryData<string> Names => new()
    {
        "April",
        string.Empty,
        "quote\"back\\slash/solidus",
        "tab\tnewline\ncr\rbell\u0007nul\0del\u007f",
        "Zoë Ærøskøbing 日本語",
        "emoji \U0001F600 pair",
        "lone \uD800 surrogate \uDC00",
        "<script>&amp;'`+",
        "non-character \uFFFE \uFFFF and U+2028 \u2028 U+00AD \u00AD",
        new string('x', 70_000),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void A_record_with_any_name_has_the_reference_bytes(string name)
    {
        AssertSame(writer => writer(name, Decision("CN=" + name + ",DC=example", managed: true, cloud: true, "Must" + name)));
    }

    [Fact]
    public void Every_ASCII_character_is_escaped_as_the_reference_escapes_it()
    {
        var all = new StringBuilder();
        for (char c = '\0'; c < 0x80; c++)
        {
            all.Append(c);
        }

        AssertSame(writer =>
        {
            for (char c = '\0'; c < 0x80; c++)
            {
                writer(c.ToString(), Decision("CN=" + c, managed: false, cloud: false, null));
            }

            writer(all.ToString(), Decision(all.ToString(), managed: true, cloud: true, all.ToString()));
        });
    }

    [Fact]
    public void Records_without_name_digest_or_managed_domain_and_many_in_a_row_have_the_reference_bytes()
    {
        AssertSame(writer =>
        {
            for (int i = 0; i < 5000; i++)
            {
                writer(i % 3 == 0 ? null : "user" + i, Decision("CN=user" + i + ",DC=example", managed: i % 2 == 0, cloud: i % 5 != 0, i % 7 == 0 ? "DisablePasswordExpiration" : null));
            }
        });
    }

    private static void AssertSame(Action<Action<string?, SyncDecision>> records)
    {
        var expected = new MemoryStream();
        using (var reference = new ReferenceSyncRecordWriter(expected))
        {
            records(reference.Write);
        }

        var actual = new MemoryStream();
        using (var writer = new SyncRecordWriter(actual))
        {
            records((name, decision) => writer.Write(new PasswordHashSync.Directory.DirectoryUser { DistinguishedName = decision.DistinguishedName, ObjectClasses = [], SamAccountName = name }, decision));
        }

        Assert.Equal(Encoding.UTF8.GetString(expected.ToArray()), Encoding.UTF8.GetString(actual.ToArray()));
        Assert.True(expected.ToArray().AsSpan().SequenceEqual(actual.ToArray()));
    }

    private static SyncDecision Decision(string dn, bool managed, bool cloud, string? policies)
    {
        byte[] nt = Enumerable.Range(0, 16).Select(i => (byte)(i * 17)).ToArray();
        var version = new PasswordChangeVersion(DateTimeOffset.UnixEpoch, false, DateTimeOffset.UnixEpoch);
        CloudPasswordRecord? record = cloud
            ? new CloudPasswordRecord("anchor", dn, new SaltedDigest(Enumerable.Range(0, 10).Select(i => (byte)(255 - i)).ToArray(), 1000, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()), policies, policies is not null, version)
            : null;
        ManagedDomainRecord? domain = managed
            ? new ManagedDomainRecord("anchor", nt, ntHashRandomized: policies is null, [
                new KerberosKey(KerberosEncryptionType.Aes256CtsHmacSha196, new byte[32], Encoding.UTF8.GetBytes("EXAMPLE.COMuser"), 4096),
                new KerberosKey(KerberosEncryptionType.Aes128CtsHmacSha196, new byte[16], [], 0)], dontExpirePassword: cloud, pwdLastSetZero: !cloud)
            : null;
        return new SyncDecision(
            dn.Length % 2 == 0 ? Guid.Empty.ToString() : dn,
            dn,
            cloud ? SyncAction.Export : SyncAction.Skip,
            cloud ? PasswordSyncStatus.Success : (PasswordSyncStatus)1,
            cloud ? [] : [SyncReason.PasswordHashSyncNotEnabled, (SyncReason)999, SyncReason.StagingMode],
            version,
            record,
            domain,
            new SyncUserState());
    }
}
