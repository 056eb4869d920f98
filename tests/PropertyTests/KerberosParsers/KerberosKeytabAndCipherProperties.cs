using FsCheck.Xunit;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;

namespace PasswordHashSync.PropertyTests.KerberosParsers;

/// <summary>
/// Rule: the keytab reader lets only <see cref="InvalidDataException"/> escape (mutations of keytabs written by MIT
/// kadmin.local and ktutil, holes included), and the decryption paths only <see cref="KerberosException"/> whatever
/// the ciphertext's length or content (every AES type and RC4; random lengths 0 to 200, wrong key lengths, and
/// mutations of MIT's AS-REP ciphertexts under the right key). AES-CTS itself, internal, refuses a wrong length with
/// <see cref="ArgumentException"/>. 100 seeds × <see cref="KerberosFuzz.InputsPerSeed"/> inputs per property.
/// </summary>
public class KerberosKeytabAndCipherProperties
{
    private static readonly KerberosCipher[] s_ciphers =
        [AesSha1Cipher.Aes128, AesSha1Cipher.Aes256, AesSha2Cipher.Aes128, AesSha2Cipher.Aes256, Rc4HmacCipher.Instance];

    private static MitKerberosVectors V => MitKerberosVectors.Instance;

    [Property(MaxTest = 100)]
    public void Keytab_reader_throws_only_InvalidDataException(int seed)
    {
        var random = new Random(seed);
        byte[][] samples = [.. V.Keytabs.Values];
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            byte[] input = KerberosFuzz.Next(random, samples);
            if (input.Length >= 2 && random.Next(2) == 0)
            {
                input[0] = 0x05;
                input[1] = 0x02; // keep the format marker half of the time, so the entries are reached
            }

            KerberosFuzz.Only<InvalidDataException>(input.Length, () => KeytabReader.Read(input).ForEach(e => _ = e.ToString()));
        }
    }

    [Property(MaxTest = 100)]
    public void Decryption_of_any_length_throws_only_KerberosException(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            KerberosCipher cipher = s_ciphers[random.Next(s_ciphers.Length)];
            byte[] key = new byte[random.Next(8) == 0 ? random.Next(0, 40) : cipher.KeySize];
            random.NextBytes(key);
            byte[] ciphertext = new byte[random.Next(0, 200)];
            random.NextBytes(ciphertext);
            int usage = random.Next(0, 30);
            KerberosFuzz.Only<KerberosException>(ciphertext.Length, () => _ = cipher.Decrypt(key, usage, ciphertext));
        }
    }

    [Property(MaxTest = 100)]
    public void Mutated_mit_ciphertexts_under_the_right_key_throw_only_KerberosException(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            (byte[] reply, int etype, byte[] key) = V.ReplyKeys[random.Next(V.ReplyKeys.Count)];
            byte[] ciphertext = KerberosFuzz.Mutate(KdcReply.Parse(reply, KdcReply.AsReply).EncryptedPart.Cipher, random);
            KerberosFuzz.Only<KerberosException>(ciphertext.Length, () => _ = MitKerberosVectors.Cipher(etype).Decrypt(key, 3, ciphertext));
        }
    }

    [Property(MaxTest = 100)]
    public void Aes_cts_refuses_wrong_lengths_with_ArgumentException(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            byte[] key = new byte[random.Next(4) == 0 ? random.Next(0, 40) : (random.Next(2) == 0 ? 16 : 32)];
            byte[] input = new byte[random.Next(0, 80)];
            byte[] output = new byte[random.Next(4) == 0 ? random.Next(0, 80) : input.Length];
            random.NextBytes(input);
            KerberosFuzz.Only<ArgumentException>(input.Length, () => AesCts.Decrypt(key, input, output));
        }
    }
}
