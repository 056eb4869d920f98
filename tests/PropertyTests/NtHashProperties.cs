using FsCheck.Xunit;
using Org.BouncyCastle.Crypto.Digests;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests;

/// <summary>The NT hash against BouncyCastle's MD4 over independently built UTF-16LE, and its overloads against each other.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 300)]
public class NtHashProperties
{
    [Property]
    public bool NtHash_equals_BouncyCastle_md4_of_utf16le(AnyUtf16 password)
    {
        byte[] utf16 = ReferenceDerivation.Utf16LittleEndian(password.Value);
        var md4 = new MD4Digest();
        md4.BlockUpdate(utf16, 0, utf16.Length);
        byte[] expected = new byte[16];
        md4.DoFinal(expected, 0);
        return expected.AsSpan().SequenceEqual(NtHash.Compute(password.Value));
    }

    [Property]
    public void All_NtHash_overloads_agree(AnyUtf16 password)
    {
        byte[] fromString = NtHash.Compute(password.Value);

        byte[] fromSpan = new byte[16];
        Assert.Equal(16, NtHash.Compute(password.Value.AsSpan(), fromSpan));

        byte[] fromTry = new byte[20];
        Assert.True(NtHash.TryCompute(password.Value, fromTry, out int written));
        Assert.Equal(16, written);

        byte[] fromUtf16 = new byte[16];
        Assert.Equal(16, NtHash.ComputeFromUtf16(ReferenceDerivation.Utf16LittleEndian(password.Value), fromUtf16));

        Assert.Equal(fromString, fromSpan);
        Assert.Equal(fromString, fromTry[..16]);
        Assert.Equal(fromString, fromUtf16);
        Assert.Equal(fromString, Kerberos.KerberosKeyDerivation.DeriveKey(Kerberos.KerberosEncryptionType.Rc4Hmac, password.Value, Array.Empty<byte>()).Key.ToArray());
    }
}
