using System.Security.Cryptography;
using PasswordHashSync.Cryptography;

namespace PasswordHashSync.Kerberos;

/// <summary>RFC 3961 DK(key, "kerberos") for the AES types (random-to-key is the identity).</summary>
internal static class KerberosDerivedKey
{
    /// <summary>n-fold("kerberos", 128 bits): the only DK constant string-to-key needs (RFC 3961 5.1, A.1).</summary>
    internal static ReadOnlySpan<byte> KerberosConstant =>
        [0x6b, 0x65, 0x72, 0x62, 0x65, 0x72, 0x6f, 0x73, 0x7b, 0x9b, 0x5b, 0x2b, 0x93, 0x13, 0x2b, 0x93];

    [ThreadStatic]
    private static Aes? t_aes;

    /// <summary>
    /// DK for AES: K1 = E(tkey, constant), K2 = E(tkey, K1), key = K1 (AES128) or K1‖K2 (AES256).
    /// The destination length (16 or 32) must equal the input key length.
    /// </summary>
    public static void DeriveAesKey(ReadOnlySpan<byte> inputKey, Span<byte> destination)
    {
        if (AesNiBlock.IsSupported)
        {
            // Allocation-free and constant-time; the platform class allocates on SetKey and on every one-shot call.
            AesNiBlock.EncryptChain(inputKey, KerberosConstant, destination[..inputKey.Length]);
            return;
        }

        DeriveAesKeyWithPlatformAes(inputKey, destination);
    }

    /// <summary>The same DK through <see cref="Aes"/> (used where AES-NI is missing; tests compare both paths).</summary>
    internal static void DeriveAesKeyWithPlatformAes(ReadOnlySpan<byte> inputKey, Span<byte> destination)
    {
        // One Aes object per thread rather than one per call; SetKey and EncryptEcb still allocate a little.
        Aes aes = t_aes ??= Aes.Create();
        aes.SetKey(inputKey);
        aes.EncryptEcb(KerberosConstant, destination[..16], PaddingMode.None);
        if (destination.Length == 32)
        {
            aes.EncryptEcb(destination[..16], destination[16..32], PaddingMode.None);
        }

        // Leave no key material behind in the cached instance.
        aes.SetKey(ZeroKey.AsSpan(0, inputKey.Length));
    }

    private static readonly byte[] ZeroKey = new byte[32];
}
