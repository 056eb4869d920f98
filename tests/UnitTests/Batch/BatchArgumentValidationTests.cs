using PasswordHashSync.Batch;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests;

/// <summary>Rule: batch APIs reject bad shapes up front with an exception that names the parameter and the rule.</summary>
public sealed class BatchArgumentValidationTests
{
    [Fact]
    public void NtHashBatch_short_destination_is_rejected_naming_destination()
    {
        var ex = Assert.Throws<ArgumentException>(() => NtHashBatch.Compute(["a", "b"], new byte[31]));
        Assert.Equal("destination", ex.ParamName);
        Assert.Contains("16 bytes per item", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NtHashBatch_null_list_and_null_password_are_rejected()
    {
        Assert.Throws<ArgumentNullException>("passwords", () => NtHashBatch.Compute(null!, new byte[16]));
        var ex = Assert.Throws<ArgumentException>(() => NtHashBatch.Compute(["a", null!], new byte[32]));
        Assert.Equal("passwords", ex.ParamName);
        Assert.Contains("Password 1 is null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NtHashBatch_packed_lengths_must_add_up_to_the_characters()
    {
        var ex = Assert.Throws<ArgumentException>(() => NtHashBatch.ComputePacked("abcd", [1, 2], new byte[32]));
        Assert.Equal("passwordCharacters", ex.ParamName);
        var negative = Assert.Throws<ArgumentException>(() => NtHashBatch.ComputePacked("abcd", [5, -1], new byte[32]));
        Assert.Equal("passwordLengths", negative.ParamName);
    }

    [Fact]
    public void NtHashBatch_parallel_degree_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>("maxDegreeOfParallelism", () => NtHashBatch.ComputeParallel(["a"], new byte[16], 0));
    }

    [Fact]
    public void NtHashBatch_empty_batch_writes_nothing()
    {
        byte[] destination = [1, 2, 3];
        NtHashBatch.Compute([], destination);
        NtHashBatch.ComputePacked("", [], destination);
        NtHashBatch.ComputeParallel([], destination);
        Assert.Equal([1, 2, 3], destination);
    }

    [Fact]
    public void SaltedDigestBatch_nt_hashes_must_be_whole_16_byte_values()
    {
        var ex = Assert.Throws<ArgumentException>(() => SaltedDigestBatch.ComputeHashes(new byte[17], new byte[10], 10, 1000, new byte[32]));
        Assert.Equal("ntHashes", ex.ParamName);
    }

    [Fact]
    public void SaltedDigestBatch_salt_length_must_be_1_to_64_and_match_the_salts()
    {
        Assert.Throws<ArgumentOutOfRangeException>("saltLength", () => SaltedDigestBatch.ComputeHashes(new byte[16], [], 0, 1000, new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>("saltLength", () => SaltedDigestBatch.ComputeHashes(new byte[16], new byte[65], 65, 1000, new byte[32]));
        var ex = Assert.Throws<ArgumentException>(() => SaltedDigestBatch.ComputeHashes(new byte[32], new byte[10], 10, 1000, new byte[64]));
        Assert.Equal("salts", ex.ParamName);
        Assert.Contains("one 10-byte salt per NT hash", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaltedDigestBatch_iteration_count_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>("iterationCount", () => SaltedDigestBatch.ComputeHashes(new byte[16], new byte[10], 10, 0, new byte[32]));
        var ex = Assert.Throws<ArgumentException>(() => SaltedDigestBatch.ComputeHashesMixed(new byte[16], new byte[10], [10], [-1], new byte[32]));
        Assert.Equal("iterationCounts", ex.ParamName);
    }

    [Fact]
    public void SaltedDigestBatch_mixed_needs_one_length_and_count_per_hash_adding_up_to_the_salts()
    {
        Assert.Equal("saltLengths", Assert.Throws<ArgumentException>(() => SaltedDigestBatch.ComputeHashesMixed(new byte[32], new byte[20], [10], [1, 1], new byte[64])).ParamName);
        Assert.Equal("iterationCounts", Assert.Throws<ArgumentException>(() => SaltedDigestBatch.ComputeHashesMixed(new byte[32], new byte[20], [10, 10], [1], new byte[64])).ParamName);
        Assert.Equal("salts", Assert.Throws<ArgumentException>(() => SaltedDigestBatch.ComputeHashesMixed(new byte[32], new byte[21], [10, 10], [1, 1], new byte[64])).ParamName);
        Assert.Equal("saltLengths", Assert.Throws<ArgumentException>(() => SaltedDigestBatch.ComputeHashesMixed(new byte[32], new byte[65], [0, 65], [1, 1], new byte[64])).ParamName);
    }

    [Fact]
    public void SaltedDigestBatch_short_destination_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => SaltedDigestBatch.ComputeHashes(new byte[32], new byte[20], 10, 1000, new byte[63]));
        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public void KerberosAesKeyBatch_accepts_only_the_RFC_3962_types()
    {
        Assert.Throws<ArgumentOutOfRangeException>("encryptionType", () =>
            KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Rc4Hmac, ["a"], [[1]], new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>("encryptionType", () =>
            KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes256CtsHmacSha384192, ["a"], [[1]], new byte[32]));
    }

    [Fact]
    public void KerberosAesKeyBatch_needs_one_non_null_salt_per_password_and_room_for_every_key()
    {
        Assert.Equal("salts", Assert.Throws<ArgumentException>(() =>
            KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes256CtsHmacSha196, ["a", "b"], [[1]], new byte[64])).ParamName);
        Assert.Equal("salts", Assert.Throws<ArgumentException>(() =>
            KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes256CtsHmacSha196, ["a"], [null!], new byte[32])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes128CtsHmacSha196, ["a", "b"], [[1], [2]], new byte[31])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>("iterationCount", () =>
            KerberosAesKeyBatch.DeriveKeys(KerberosEncryptionType.Aes128CtsHmacSha196, ["a"], [[1]], new byte[16], 0));
    }
}
