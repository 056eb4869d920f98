namespace PasswordHashSync.Kerberos;

/// <summary>
/// RFC 3961 5.1 n-fold: replicate the input to LCM(input, output) bytes, each copy rotated right by 13 bits
/// more than the last, and add the output-sized chunks with ones'-complement addition.
/// </summary>
internal static class NFold
{
    public static void Fold(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.IsEmpty)
        {
            throw new ArgumentException("n-fold needs a non-empty input.", nameof(input));
        }

        int inBytes = input.Length;
        int outBytes = output.Length;
        int lcm = inBytes / Gcd(inBytes, outBytes) * outBytes;
        output.Clear();

        // Byte-at-a-time port of the msbit formulation: walk the LCM string from its last byte, pull each byte
        // of the rotated copy out of the input, and add with carry into the output.
        int carry = 0;
        int inBits = inBytes << 3;
        for (int i = lcm - 1; i >= 0; i--)
        {
            int msbit = ((inBits - 1) + ((inBits + 13) * (i / inBytes)) + ((inBytes - (i % inBytes)) << 3)) % inBits;
            int hi = input[((inBytes - 1) - (msbit >> 3)) % inBytes];
            int lo = input[(inBytes - (msbit >> 3)) % inBytes];
            carry += (((hi << 8) | lo) >> ((msbit & 7) + 1)) & 0xff;
            carry += output[i % outBytes];
            output[i % outBytes] = (byte)carry;
            carry >>= 8;
        }

        if (carry != 0)
        {
            for (int i = outBytes - 1; i >= 0; i--)
            {
                carry += output[i];
                output[i] = (byte)carry;
                carry >>= 8;
            }
        }
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
