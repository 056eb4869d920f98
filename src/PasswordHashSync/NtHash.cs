using System.Buffers.Binary;
using System.Runtime.InteropServices;
using PasswordHashSync.Cryptography;

namespace PasswordHashSync;

/// <summary>
/// The NT hash (NTOWFv1, the Kerberos RC4-HMAC key, what AD stores in <c>unicodePwd</c>):
/// MD4 over the UTF-16LE code units of the password exactly as given.
/// </summary>
/// <remarks>
/// No normalization is applied: case is kept, embedded NUL characters are hashed, and lone surrogates are
/// hashed as the code units they are (AD does the same for machine and gMSA passwords). There is no length limit.
/// </remarks>
public static class NtHash
{
    /// <summary>The size of an NT hash: 16 bytes.</summary>
    public const int SizeInBytes = Md4.HashSizeInBytes;

    /// <summary>Computes the NT hash of <paramref name="password"/> into <paramref name="destination"/>.</summary>
    /// <param name="password">The password; any UTF-16 sequence, including lone surrogates.</param>
    /// <param name="destination">Receives the 16-byte hash.</param>
    /// <returns>The number of bytes written (16).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 16 bytes.</exception>
    public static int Compute(ReadOnlySpan<char> password, Span<byte> destination)
    {
        if (!TryCompute(password, destination, out int written))
        {
            throw new ArgumentException($"The destination must hold at least {SizeInBytes} bytes.", nameof(destination));
        }

        return written;
    }

    /// <summary>Computes the NT hash of <paramref name="password"/>.</summary>
    /// <param name="password">The password.</param>
    /// <returns>A new 16-byte array.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is <see langword="null"/>.</exception>
    public static byte[] Compute(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] hash = new byte[SizeInBytes];
        Compute(password.AsSpan(), hash);
        return hash;
    }

    /// <summary>Tries to compute the NT hash of <paramref name="password"/> into <paramref name="destination"/>.</summary>
    /// <param name="password">The password.</param>
    /// <param name="destination">Receives the 16-byte hash.</param>
    /// <param name="bytesWritten">16 on success, otherwise 0.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public static bool TryCompute(ReadOnlySpan<char> password, Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < SizeInBytes)
        {
            bytesWritten = 0;
            return false;
        }

        if (BitConverter.IsLittleEndian)
        {
            // A char span already is UTF-16LE in memory: hash it in place, no copy of the secret.
            Md4.HashData(MemoryMarshal.AsBytes(password), destination);
        }
        else
        {
            HashBigEndian(password, destination);
        }

        bytesWritten = SizeInBytes;
        return true;
    }

    /// <summary>
    /// Computes the NT hash of a password given as raw UTF-16LE bytes (for example a gMSA or machine password
    /// read from the directory), without any round trip through <see cref="string"/>.
    /// </summary>
    /// <param name="utf16LittleEndianPassword">The password's UTF-16LE code units; the length must be even.</param>
    /// <param name="destination">Receives the 16-byte hash.</param>
    /// <returns>The number of bytes written (16).</returns>
    /// <exception cref="ArgumentException">The password length is odd, or <paramref name="destination"/> is shorter than 16 bytes.</exception>
    public static int ComputeFromUtf16(ReadOnlySpan<byte> utf16LittleEndianPassword, Span<byte> destination)
    {
        if (utf16LittleEndianPassword.Length % 2 != 0)
        {
            throw new ArgumentException("A UTF-16LE password must have an even number of bytes.", nameof(utf16LittleEndianPassword));
        }

        if (destination.Length < SizeInBytes)
        {
            throw new ArgumentException($"The destination must hold at least {SizeInBytes} bytes.", nameof(destination));
        }

        Md4.HashData(utf16LittleEndianPassword, destination);
        return SizeInBytes;
    }

    private static void HashBigEndian(ReadOnlySpan<char> password, Span<byte> destination)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(password.Length * 2);
        try
        {
            Span<byte> bytes = buffer.AsSpan(0, password.Length * 2);
            for (int i = 0; i < password.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes[(2 * i)..], password[i]);
            }

            Md4.HashData(bytes, destination);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
