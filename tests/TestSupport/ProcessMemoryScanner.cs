using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PasswordHashSync.TestSupport;

/// <summary>
/// Counts how many copies of a secret are left anywhere in this process's readable memory (GC heap, pinned heap,
/// native heap, stacks), as the audit did: every readable mapping of <c>/proc/self/maps</c> is read through
/// <c>/proc/self/mem</c> and searched. The secret itself lives in native memory that the scanner skips, and the read
/// buffer is native too, so neither counts; any other occurrence is a copy the code under test left behind.
/// </summary>
public sealed unsafe class ProcessMemoryScanner : IDisposable
{
    private const int ChunkSize = 1 << 20;
    private readonly byte* _secret;
    private readonly int _length;
    private readonly byte* _chunk;

    /// <summary>Makes a random secret of <paramref name="length"/> bytes in native memory.</summary>
    /// <param name="length">The secret's length in bytes.</param>
    public ProcessMemoryScanner(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 8);
        _length = length;
        _secret = (byte*)NativeMemory.Alloc((nuint)length);
        _chunk = (byte*)NativeMemory.Alloc(ChunkSize);
        RandomNumberGenerator.Fill(Secret);
    }

    /// <summary>
    /// Takes a known secret given as hex text (a child process gets its secret this way on the command line: hex
    /// digits never contain the raw bytes) and decodes it straight into native memory.
    /// </summary>
    /// <param name="secretHex">The secret in hex, at least 8 bytes.</param>
    /// <param name="utf16">Whether to scan for the bytes widened to UTF-16LE code units (an ASCII password held as a .NET string or char array).</param>
    public ProcessMemoryScanner(string secretHex, bool utf16 = false)
    {
        ArgumentNullException.ThrowIfNull(secretHex);
        int bytes = secretHex.Length / 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 8, nameof(secretHex));
        _length = utf16 ? 2 * bytes : bytes;
        _secret = (byte*)NativeMemory.AllocZeroed((nuint)_length);
        _chunk = (byte*)NativeMemory.Alloc(ChunkSize);
        Span<byte> secret = Secret;
        if (Convert.FromHexString(secretHex, secret[..bytes], out _, out int written) != System.Buffers.OperationStatus.Done || written != bytes)
        {
            throw new ArgumentException("not hex", nameof(secretHex));
        }

        if (utf16)
        {
            // Widen in place from the end so no byte is overwritten before it is moved.
            for (int i = bytes - 1; i >= 0; i--)
            {
                secret[2 * i] = secret[i];
                secret[(2 * i) + 1] = 0;
            }
        }
    }

    /// <summary>The secret (native memory, not a copy).</summary>
    public Span<byte> Secret => new(_secret, _length);

    /// <summary>The secret as upper-case hex (a string: UTF-16 hex digits, which never contain the raw bytes).</summary>
    public string SecretHex => Convert.ToHexString(Secret);

    /// <summary>Collects garbage (so the count covers only what is left, not what is merely unreachable) and counts the copies.</summary>
    /// <returns>How many times the secret occurs outside the scanner's own buffers.</returns>
    public int CountCopies()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        if (!File.Exists("/proc/self/maps"))
        {
            throw new PlatformNotSupportedException("the memory scan needs Linux /proc/self/maps and /proc/self/mem");
        }

        int copies = 0;
        using var mem = File.OpenHandle("/proc/self/mem", FileMode.Open, FileAccess.Read);
        foreach (string line in File.ReadAllLines("/proc/self/maps"))
        {
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[1][0] != 'r' || line.Contains("[vvar", StringComparison.Ordinal) || line.Contains("[vsyscall]", StringComparison.Ordinal))
            {
                continue;
            }

            string[] range = fields[0].Split('-');
            ulong start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            copies += CountIn(mem, start, end);
        }

        return copies;
    }

    /// <summary>Zeroes and frees the secret and the read buffer.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Secret);
        NativeMemory.Free(_secret);
        NativeMemory.Free(_chunk);
    }

    private int CountIn(Microsoft.Win32.SafeHandles.SafeFileHandle mem, ulong start, ulong end)
    {
        int copies = 0;
        ReadOnlySpan<byte> secret = Secret;
        var chunk = new Span<byte>(_chunk, ChunkSize);

        // Chunks overlap by length - 1 bytes so a copy across a chunk boundary is found once.
        for (ulong at = start; at < end; at += (ulong)(ChunkSize - _length + 1))
        {
            int want = (int)Math.Min((ulong)ChunkSize, end - at);
            if (want < _length)
            {
                break;
            }

            int read;
            try
            {
                read = RandomAccess.Read(mem, chunk[..want], (long)at);
            }
            catch (IOException)
            {
                continue; // A mapping that cannot be read (a guard page): nothing to find there.
            }

            ReadOnlySpan<byte> data = chunk[..read];
            int offset = 0;
            while (offset <= data.Length - _length)
            {
                int index = data[offset..].IndexOf(secret);
                if (index < 0)
                {
                    break;
                }

                ulong address = at + (ulong)(offset + index);
                if (!IsOwn(address))
                {
                    copies++;
                }

                offset += index + 1;
            }

            if (read < want)
            {
                break;
            }
        }

        return copies;
    }

    private bool IsOwn(ulong address) =>
        (address >= (ulong)_secret && address < (ulong)_secret + (ulong)_length) ||
        (address >= (ulong)_chunk && address < (ulong)_chunk + ChunkSize);
}
