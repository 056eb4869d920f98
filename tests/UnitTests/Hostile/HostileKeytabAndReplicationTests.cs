using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;

namespace PasswordHashSync.UnitTests.Hostile;

/// <summary>
/// Rule: the keytab writer and the replicated-secret decryptor refuse hostile input with a documented exception,
/// never write a silently changed name, never overflow, and keep their dispose promise.
/// </summary>
public class HostileKeytabAndReplicationTests
{
    private static KerberosKey Key() => new(KerberosEncryptionType.Rc4Hmac, Convert.FromHexString("c0ffeec0ffeec0ffeec0ffeec0ffeec0"), default, 0);

    [Fact]
    public void A_lone_surrogate_in_the_realm_is_refused_not_written_as_U_FFFD()
    {
        // Lone surrogates cannot travel through xunit theory data, so the cases are listed here.
        foreach (string realm in new[] { "EXAMPLE.COM\uD800", "\uDC00" })
        {
            Assert.Throws<ArgumentException>("realm", () => new KeytabEntry(realm, ["alice"], Key(), 1, DateTimeOffset.UnixEpoch));
        }
    }

    [Fact]
    public void A_lone_surrogate_in_a_name_component_is_refused() =>
        Assert.Throws<ArgumentException>("nameComponents", () => new KeytabEntry("EXAMPLE.COM", ["host", "a\uDBFF"], Key(), 1, DateTimeOffset.UnixEpoch));

    [Fact]
    public void A_keytab_larger_than_an_array_can_hold_is_refused_with_an_argument_exception()
    {
        // 36,000 components of 60,000 bytes each (one shared string, so the test itself stays small): 2.16 GB,
        // past int.MaxValue; the size arithmetic must not overflow into a negative or wrapped array length.
        string component = new('a', 60_000);
        var entry = new KeytabEntry("EXAMPLE.COM", Enumerable.Repeat(component, 36_000).ToArray(), Key(), 1, DateTimeOffset.UnixEpoch);
        Assert.Throws<ArgumentException>("entries", () => KeytabWriter.ToBytes([entry]));
    }

    [Fact]
    public void Keytab_null_arguments_name_the_parameter()
    {
        Assert.Throws<ArgumentNullException>("entries", () => KeytabWriter.ToBytes(null!));
        Assert.Throws<ArgumentNullException>("entries", () => KeytabWriter.ToBytes([null!]));
        Assert.Throws<ArgumentNullException>("destination", () => KeytabWriter.Write(null!, []));
        Assert.Throws<ArgumentNullException>("principal", () => KeytabEntry.ParsePrincipal(null!));
        Assert.Throws<ArgumentNullException>("key", () => new KeytabEntry("R", ["a"], null!, 1, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Principal_format_errors_never_echo_the_principal()
    {
        const string Principal = "sensitive/name@";
        var ex = Assert.Throws<FormatException>(() => KeytabEntry.ParsePrincipal(Principal));
        Assert.DoesNotContain("sensitive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_after_Dispose_throws_ObjectDisposedException_even_for_an_empty_value()
    {
        var decryptor = new ReplicatedSecretDecryptor(new byte[16]);
        decryptor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => decryptor.Decrypt(ReplicatedSecretKind.UnicodePwd, [], 500));
        Assert.Throws<ObjectDisposedException>(() => decryptor.DecryptEnvelope(new byte[36]));
        Assert.Throws<ObjectDisposedException>(() => decryptor.AddSessionKey(new byte[16]));
    }

    [Fact]
    public void Decryptor_null_and_short_inputs_give_documented_exceptions()
    {
        Assert.Throws<ArgumentNullException>("sessionKey", () => new ReplicatedSecretDecryptor((byte[])null!));
        Assert.Throws<ArgumentException>("sessionKey", () => new ReplicatedSecretDecryptor(new byte[15]));
        using var decryptor = new ReplicatedSecretDecryptor(new byte[16]);
        Assert.Throws<ReplicatedSecretDecryptionException>(() => decryptor.DecryptEnvelope(new byte[19]));
        Assert.Throws<ArgumentOutOfRangeException>("kind", () => decryptor.Decrypt((ReplicatedSecretKind)99, new byte[36], 1));
        Assert.Equal(-1, ReplicatedSecretDecryptor.GetSecretLength(int.MinValue));
        Assert.Equal(int.MaxValue - 20, ReplicatedSecretDecryptor.GetSecretLength(int.MaxValue));
    }

    [Fact]
    public void A_1_MiB_envelope_under_the_wrong_key_gives_the_decryption_exception_without_blob_hex()
    {
        byte[] blob = new byte[1 << 20];
        new Random(7).NextBytes(blob);
        using var decryptor = new ReplicatedSecretDecryptor(new byte[16]);
        var ex = Assert.Throws<ReplicatedSecretDecryptionException>(() => decryptor.Decrypt(ReplicatedSecretKind.SupplementalCredentials, blob, 1));
        Assert.DoesNotContain(Convert.ToHexStringLower(blob.AsSpan(0, 8)), ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexStringLower(blob.AsSpan(16, 8)), ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Dispose_zeroes_the_session_keys_and_the_kerberos_key()
    {
        var decryptor = new ReplicatedSecretDecryptor(Enumerable.Repeat((byte)0xAB, 16).ToArray());
        decryptor.Dispose();
        Assert.Equal(0, decryptor.SessionKeyCount);
        Assert.DoesNotContain("ab", decryptor.ToString()!, StringComparison.OrdinalIgnoreCase);

        KerberosKey key = Key();
        key.Dispose();
        Assert.All(key.Key.ToArray(), b => Assert.Equal(0, b));
    }
}
