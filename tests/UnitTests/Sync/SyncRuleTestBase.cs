using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests;

/// <summary>
/// What the sync rule tests share (one class per group of rules of reference-phs-spec.md): a planner with a fake
/// Kerberos key extractor and a counting random source, settings built from the defaults, and an independent check of
/// the cloud digest.
/// </summary>
public abstract class SyncRuleTestBase
{
    protected SyncRuleTestBase() => Planner = new SyncPlanner(new SyncFakeKerberosKeyExtractor(), new SyncCountingRandomSource());

    /// <summary>The planner under test.</summary>
    protected SyncPlanner Planner { get; }

    /// <summary>Default settings, changed by <paramref name="change"/>.</summary>
    protected static PasswordHashSyncSettings Settings(Action<PasswordHashSyncSettings>? change = null)
    {
        var settings = new PasswordHashSyncSettings();
        change?.Invoke(settings);
        return settings;
    }

    /// <summary>Recomputes the PBKDF2-HMAC-SHA256 digest of <paramref name="password"/>'s uppercase hex NT hash with the record's salt.</summary>
    protected static void AssertDigestOf(string password, CloudPasswordRecord record)
    {
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(ReferenceNtHash(password)));
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(input, record.Digest.Salt.ToArray(), record.Digest.IterationCount, HashAlgorithmName.SHA256, 32);
        Assert.Equal(expected, record.Digest.Hash.ToArray());
    }
}
