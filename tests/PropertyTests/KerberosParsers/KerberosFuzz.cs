using System.Buffers.Binary;
using System.Globalization;

namespace PasswordHashSync.PropertyTests.KerberosParsers;

/// <summary>
/// The input generator and the oracle shared by the Kerberos fuzz properties: random bytes (half of them behind a
/// plausible DER tag and length), DER-aware mutations of real samples, and a check that only the documented exception
/// escapes, that the parser allocated no more than the input paid for, and that no exception text carries a key, a
/// ticket or a password (as hex or base64) of the vectors.
/// </summary>
internal static class KerberosFuzz
{
    /// <summary>Bytes a parser may allocate per input byte, plus a fixed allowance (readers, lists, the key schedule).</summary>
    public const long AllocatedBytesPerInputByte = 48;

    public const long FixedAllocationAllowance = 64 * 1024;

    private static readonly byte[] s_tags = [0x30, 0x6B, 0x6D, 0x6F, 0x7E, 0x79, 0x7A, 0x7B, 0x61, 0x60, 0x05, 0x1B, 0x04, 0x02, 0x18, 0xA0, 0xA1, 0xA2];
    private static readonly byte[] s_extremeBytes = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x89, 0xFE, 0xFF];
    private static readonly uint[] s_extremeValues = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x100000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0];
    private static readonly Lazy<HashSet<ulong>> s_secretWindows = new(BuildSecretWindows);

    /// <summary>Inputs per FsCheck seed: 1 000 (× 100 seeds = 100 000 per property) unless PHS_FUZZ_INPUTS_PER_SEED says otherwise.</summary>
    public static int InputsPerSeed =>
        int.TryParse(Environment.GetEnvironmentVariable("PHS_FUZZ_INPUTS_PER_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 1000;

    /// <summary>Random bytes; half of the time behind a Kerberos-like tag and a DER length that may or may not fit.</summary>
    public static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        if (bytes.Length >= 6 && random.Next(2) == 0)
        {
            bytes[0] = s_tags[random.Next(s_tags.Length)];
            int content = bytes.Length - 2;
            if (content < 0x80 && random.Next(2) == 0)
            {
                bytes[1] = (byte)content;
            }
            else
            {
                bytes[1] = 0x82;
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)(random.Next(3) == 0 ? random.Next(0x10000) : bytes.Length - 4));
            }
        }

        return bytes;
    }

    /// <summary>1 to 4 mutations: bit flips, extreme bytes (DER length forms), 16/32-bit extremes, insertions, deletions, duplications, truncation.</summary>
    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0:
                case 1:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes[at] = s_extremeBytes[random.Next(s_extremeBytes.Length)];
                    break;
                case 3:
                    uint value = s_extremeValues[random.Next(s_extremeValues.Length)];
                    int width = random.Next(2) == 0 ? 2 : 4;
                    for (int k = 0; k < width && at + k < bytes.Count; k++)
                    {
                        bytes[at + k] = (byte)(value >> (8 * (width - 1 - k)));
                    }

                    break;
                case 4:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)random.Next(256), random.Next(1, 5)));
                    break;
                case 5:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at));
                    break;
                case 6:
                    int length = Math.Min(random.Next(1, 32), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>A random sample's mutation three times in four, random bytes otherwise.</summary>
    public static byte[] Next(Random random, IReadOnlyList<byte[]> samples) =>
        random.Next(4) == 0 ? RandomBytes(random) : Mutate(samples[random.Next(samples.Count)], random);

    /// <summary>
    /// Runs <paramref name="parse"/> on an input of <paramref name="inputLength"/> bytes: only
    /// <typeparamref name="TException"/> may escape, its text (and its inner exceptions') must hold no secret of the
    /// vectors, and the allocation must stay within the input's bound. Any other exception fails the property.
    /// </summary>
    public static void Only<TException>(int inputLength, Action parse)
        where TException : Exception
    {
        long bound = (AllocatedBytesPerInputByte * inputLength) + FixedAllocationAllowance;
        long allocated = Measure<TException>(parse);
        if (allocated > bound)
        {
            // The first run of a path pays one-time costs (type initializers, resource strings, JIT helpers): the
            // same input again must stay within the bound, or the parser allocates what the input did not pay for.
            allocated = Measure<TException>(parse);
        }

        Assert.True(allocated <= bound, $"A {inputLength}-byte input made the parser allocate {allocated} bytes (bound {bound}).");
    }

    private static long Measure<TException>(Action parse)
        where TException : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            parse();
        }
        catch (TException e)
        {
            AssertNoSecret(e);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Fails when the message of <paramref name="e"/> or an inner exception holds a password, or 8 bytes of a key or ticket as hex or base64.</summary>
    public static void AssertNoSecret(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            string message = current.Message;
            foreach (string password in MitKerberosVectors.Instance.Passwords)
            {
                Assert.DoesNotContain(password, message, StringComparison.Ordinal);
            }

            Assert.False(HoldsSecretBytes(message), $"The message \"{message}\" holds key or ticket bytes.");
        }
    }

    /// <summary>Whether <paramref name="message"/> holds 8 consecutive bytes of a secret of the vectors as hex or base64.</summary>
    public static bool HoldsSecretBytes(string message)
    {
        // Runs of hex digits (16+) at either alignment, and runs of base64 characters (12+) at any of 4 alignments.
        foreach (string run in Runs(message, Uri.IsHexDigit, 16))
        {
            for (int shift = 0; shift < 2; shift++)
            {
                string aligned = run[shift..];
                if (Contains(Convert.FromHexString(aligned[..(aligned.Length & ~1)])))
                {
                    return true;
                }
            }
        }

        foreach (string run in Runs(message, c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=', 12))
        {
            for (int shift = 0; shift < 4; shift++)
            {
                string aligned = run[shift..].TrimEnd('=');
                aligned = aligned[..(aligned.Length & ~3)];
                if (aligned.Length >= 12)
                {
                    byte[] decoded = new byte[aligned.Length];
                    if (Convert.TryFromBase64String(aligned, decoded, out int written) && Contains(decoded.AsSpan(0, written)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool Contains(ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i + 8 <= bytes.Length; i++)
        {
            if (s_secretWindows.Value.Contains(BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..])))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Runs(string text, Func<char, bool> member, int minimum)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool inRun = i < text.Length && member(text[i]);
            if (inRun && start < 0)
            {
                start = i;
            }
            else if (!inRun && start >= 0)
            {
                if (i - start >= minimum)
                {
                    yield return text[start..i];
                }

                start = -1;
            }
        }
    }

    private static HashSet<ulong> BuildSecretWindows()
    {
        var windows = new HashSet<ulong>();
        foreach (byte[] secret in MitKerberosVectors.Instance.Secrets())
        {
            for (int i = 0; i + 8 <= secret.Length; i++)
            {
                windows.Add(BinaryPrimitives.ReadUInt64LittleEndian(secret.AsSpan(i)));
            }
        }

        return windows;
    }
}
