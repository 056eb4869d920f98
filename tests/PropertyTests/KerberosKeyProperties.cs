using FsCheck.Xunit;
using PasswordHashSync.Kerberos;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests;

/// <summary>Kerberos string-to-key against references written from the RFCs, and the set/single/UTF-16 entry points against each other.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 100)]
public class KerberosKeyProperties
{
    [Property]
    public void Aes_sha1_keys_equal_the_RFC_3962_reference(AnyUtf16 password, KerberosSaltBytes salt, SmallCount iterations)
    {
        foreach ((KerberosEncryptionType type, int length) in new[] { (KerberosEncryptionType.Aes128CtsHmacSha196, 16), (KerberosEncryptionType.Aes256CtsHmacSha196, 32) })
        {
            byte[] key = new byte[length];
            KerberosKeyDerivation.DeriveKey(type, password.Value, salt.Value, key, iterations.Value);
            Assert.Equal(ReferenceDerivation.AesSha1Key(password.Value, salt.Value, iterations.Value, length), key);
        }
    }

    [Property]
    public void Aes_sha2_keys_equal_the_RFC_8009_reference(AnyUtf16 password, KerberosSaltBytes salt, SmallCount iterations)
    {
        byte[] aes128 = new byte[16];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes128CtsHmacSha256128, password.Value, salt.Value, aes128, iterations.Value);
        Assert.Equal(ReferenceDerivation.AesSha2Key(password.Value, salt.Value, iterations.Value, aes256: false), aes128);

        byte[] aes256 = new byte[32];
        KerberosKeyDerivation.DeriveKey(KerberosEncryptionType.Aes256CtsHmacSha384192, password.Value, salt.Value, aes256, iterations.Value);
        Assert.Equal(ReferenceDerivation.AesSha2Key(password.Value, salt.Value, iterations.Value, aes256: true), aes256);
    }

    [Property]
    public void Key_set_equals_separately_derived_single_keys(AnyUtf16 password, KerberosSaltBytes salt, SmallCount iterations, int rotation)
    {
        // Every type, in a rotated order, so the shared PBKDF2 of the set path is exercised in any position.
        KerberosEncryptionType[] all = [.. KerberosEncryptionTypes.All];
        int shift = (int)((uint)rotation % (uint)all.Length);
        KerberosEncryptionType[] types = [.. all[shift..], .. all[..shift]];

        IReadOnlyList<KerberosKey> set = KerberosKeyDerivation.DeriveKeys(password.Value, salt.Value, types, iterations.Value);
        Assert.Equal(types.Length, set.Count);
        for (int i = 0; i < types.Length; i++)
        {
            using KerberosKey single = KerberosKeyDerivation.DeriveKey(types[i], password.Value, salt.Value, iterations.Value);
            Assert.Equal(types[i], set[i].EncryptionType);
            Assert.Equal(single.Key.ToArray(), set[i].Key.ToArray());
            Assert.Equal(single.IterationCount, set[i].IterationCount);
            Assert.Equal(single.Salt.ToArray(), set[i].Salt.ToArray());
        }
    }

    [Property]
    public void Utf16_byte_entry_point_equals_the_char_entry_point(AnyUtf16 password, KerberosSaltBytes salt, SmallCount iterations)
    {
        byte[] utf16 = ReferenceDerivation.Utf16LittleEndian(password.Value);
        foreach (KerberosEncryptionType type in KerberosEncryptionTypes.All)
        {
            byte[] fromChars = new byte[32];
            byte[] fromBytes = new byte[32];
            int a = KerberosKeyDerivation.DeriveKey(type, password.Value, salt.Value, fromChars, iterations.Value);
            int b = KerberosKeyDerivation.DeriveKeyFromUtf16(type, utf16, salt.Value, fromBytes, iterations.Value);
            Assert.Equal(a, b);
            Assert.Equal(fromChars, fromBytes);
        }
    }

    [Property(MaxTest = 300)]
    public void Aes_ni_dk_equals_the_platform_aes_dk(DigestHash material, bool aes256)
    {
        byte[] key = aes256 ? material.Value : material.Value[..16];
        byte[] viaDefault = new byte[key.Length];
        byte[] viaPlatform = new byte[key.Length];
        KerberosDerivedKey.DeriveAesKey(key, viaDefault);
        KerberosDerivedKey.DeriveAesKeyWithPlatformAes(key, viaPlatform);
        Assert.Equal(viaPlatform, viaDefault);
    }
}
