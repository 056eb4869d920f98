using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Cryptography;

namespace PasswordHashSync;

/// <summary>
/// The legacy LM hash (LMOWFv1, MS-NLMP 3.3.1): DES-encrypt "KGS!@#$%" under the two 7-byte halves of the
/// upper-cased OEM password. Opt-in only: AD stops storing it by default since Windows Server 2008.
/// </summary>
/// <remarks>
/// The password is upper-cased per character (invariant) and converted to the given OEM code page with Windows'
/// best-fit mapping, as a domain controller does (<c>437</c> on en-US DCs). A password longer than 14 OEM bytes,
/// or with a character the code page cannot represent even by best fit, has no LM hash: the <c>Try</c> method
/// returns <see langword="false"/>, and <see cref="Compute(string, int)"/> throws. A truncated value is never produced.
/// </remarks>
public static class LmHash
{
    /// <summary>The size of an LM hash: 16 bytes.</summary>
    public const int SizeInBytes = 16;

    /// <summary>The longest password, in OEM bytes, that has an LM hash: 14.</summary>
    public const int MaxPasswordBytes = 14;

    /// <summary>The OEM code page of en-US Windows: 437.</summary>
    public const int DefaultOemCodePage = 437;

    private static ReadOnlySpan<byte> MagicConstant => "KGS!@#$%"u8;

    /// <summary>Tries to compute the LM hash of <paramref name="password"/>.</summary>
    /// <param name="password">The password.</param>
    /// <param name="oemCodePage">The OEM code page of the domain controller, for example 437 or 850.</param>
    /// <param name="destination">Receives 16 bytes; must be at least that long.</param>
    /// <param name="bytesWritten">16 on success, otherwise 0.</param>
    /// <returns><see langword="false"/> when the password has no LM hash (longer than 14 OEM bytes or not representable).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 16 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="oemCodePage"/> is not an available code page.</exception>
    public static bool TryCompute(ReadOnlySpan<char> password, int oemCodePage, Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < SizeInBytes)
        {
            throw new ArgumentException($"The destination must hold at least {SizeInBytes} bytes.", nameof(destination));
        }

        Encoding oem = GetOemEncoding(oemCodePage);
        bytesWritten = 0;
        if (password.Length > MaxPasswordBytes)
        {
            return false;
        }

        Span<byte> oemPassword = stackalloc byte[MaxPasswordBytes];
        Span<char> upper = stackalloc char[MaxPasswordBytes];
        Span<byte> key = stackalloc byte[8];
        Span<byte> oneChar = stackalloc byte[8];
        try
        {
            oemPassword.Clear();
            for (int i = 0; i < password.Length; i++)
            {
                upper[i] = char.ToUpperInvariant(password[i]);
            }

            int length = 0;
            for (int i = 0; i < password.Length; i++)
            {
                // One UTF-16 scalar at a time, so that a replacement '?' can be told apart from a real '?'.
                int width = char.IsHighSurrogate(upper[i]) && i + 1 < password.Length && char.IsLowSurrogate(upper[i + 1]) ? 2 : 1;
                ReadOnlySpan<char> scalar = upper.Slice(i, width);
                int count = oem.GetByteCount(scalar);
                if (count > oneChar.Length || length + count > MaxPasswordBytes)
                {
                    return false;
                }

                oem.GetBytes(scalar, oneChar);

                // The best-fit fallback ends in '?' for what it cannot map: one '?' for a BMP character, two for a
                // surrogate pair (an astral character) or a lone surrogate. Any '?' not typed by the user means "not representable".
                if (scalar[0] != '?' && oneChar[..count].Contains((byte)'?'))
                {
                    return false;
                }

                oneChar[..count].CopyTo(oemPassword[length..]);
                length += count;
                i += width - 1;
            }

            DesBlock.ExpandKey(oemPassword[..7], key);
            DesBlock.Process(true, key, MagicConstant, destination[..8]);
            DesBlock.ExpandKey(oemPassword[7..], key);
            DesBlock.Process(true, key, MagicConstant, destination[8..16]);
            bytesWritten = SizeInBytes;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(oemPassword);
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(oneChar);
            upper.Clear();
        }
    }

    /// <summary>Computes the LM hash of <paramref name="password"/>.</summary>
    /// <param name="password">The password.</param>
    /// <param name="oemCodePage">The OEM code page of the domain controller (default 437).</param>
    /// <returns>A new 16-byte array.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The password has no LM hash (longer than 14 OEM bytes or not representable).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="oemCodePage"/> is not an available code page.</exception>
    public static byte[] Compute(string password, int oemCodePage = DefaultOemCodePage)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] hash = new byte[SizeInBytes];
        if (!TryCompute(password, oemCodePage, hash, out _))
        {
            throw new ArgumentException(
                $"The password has no LM hash: it is longer than {MaxPasswordBytes} bytes in code page {oemCodePage} or has characters that code page cannot represent.",
                nameof(password));
        }

        return hash;
    }

    private static Encoding GetOemEncoding(int oemCodePage)
    {
        Encoding? encoding = null;
        if (oemCodePage > 0)
        {
            // The default fallback of code page encodings is Windows best-fit, then '?'.
            encoding = CodePagesEncodingProvider.Instance.GetEncoding(oemCodePage);
        }

        return encoding ?? throw new ArgumentOutOfRangeException(nameof(oemCodePage), oemCodePage, "Not an available OEM code page.");
    }
}
