using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PasswordHashSync.Cli.Output;

/// <summary>
/// A UTF-8 output buffer for JSON lines that hold secrets: values are formatted straight into it (hex from spans,
/// numbers, JSON strings) and it goes to the stream in large writes. The buffer is pinned (the GC never copies it)
/// and zeroed after every write to the stream and when disposed, so the secrets it held do not stay in memory.
/// </summary>
/// <remarks>
/// JSON strings are escaped exactly as <see cref="Utf8JsonWriter"/> with
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> escapes them (the records' historical form): printable
/// ASCII other than a quote or backslash is copied as is; any other string goes through such a writer. Only names
/// take that path (distinguished names, account names); secrets are hex or digits, always ASCII.
/// </remarks>
internal sealed class Utf8LineBuffer : IDisposable
{
    /// <summary>The buffer's usual size: one write to the stream per this many bytes.</summary>
    public const int DefaultCapacity = 256 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _length;
    private ArrayBufferWriter<byte>? _escapeBuffer;
    private Utf8JsonWriter? _escapeWriter;

    /// <summary>Creates a buffer in front of <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the bytes go; not disposed.</param>
    /// <param name="capacity">The buffer's size.</param>
    public Utf8LineBuffer(Stream stream, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 64);
        _stream = stream;
        _buffer = GC.AllocateUninitializedArray<byte>(capacity, pinned: true);
    }

    /// <summary>The largest number of UTF-8 bytes a JSON string of <paramref name="chars"/> UTF-16 code units takes, quotes included.</summary>
    /// <param name="chars">The string's length.</param>
    /// <returns>The bound (an escape is at most 6 bytes per code unit).</returns>
    public static int MaxStringBytes(int chars) => (6 * chars) + 2;

    /// <summary>Makes room for <paramref name="bytes"/> more bytes: writes out what is buffered, or grows the buffer.</summary>
    /// <param name="bytes">The bytes about to be written.</param>
    public void Reserve(int bytes)
    {
        if (_buffer.Length - _length >= bytes)
        {
            return;
        }

        Flush();
        if (_buffer.Length < bytes)
        {
            CryptographicOperations.ZeroMemory(_buffer);
            _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(bytes, 2 * _buffer.Length), pinned: true);
        }
    }

    /// <summary>Appends bytes as they are (JSON punctuation and names known to need no escaping).</summary>
    /// <param name="utf8">The bytes; the caller reserved room.</param>
    public void WriteRaw(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(_buffer.AsSpan(_length));
        _length += utf8.Length;
    }

    /// <summary>Appends one byte.</summary>
    /// <param name="value">The byte; the caller reserved room.</param>
    public void WriteByte(byte value) => _buffer[_length++] = value;

    /// <summary>Appends <paramref name="bytes"/> as a quoted lowercase hex JSON string.</summary>
    /// <param name="bytes">The bytes; the caller reserved <c>2 * length + 2</c>.</param>
    public void WriteHexString(ReadOnlySpan<byte> bytes)
    {
        _buffer[_length++] = (byte)'"';
        Convert.TryToHexStringLower(bytes, _buffer.AsSpan(_length), out int written);
        _length += written;
        _buffer[_length++] = (byte)'"';
    }

    /// <summary>Appends lowercase hex (unquoted).</summary>
    /// <param name="bytes">The bytes; the caller reserved <c>2 * length</c>.</param>
    public void WriteHex(ReadOnlySpan<byte> bytes)
    {
        Convert.TryToHexStringLower(bytes, _buffer.AsSpan(_length), out int written);
        _length += written;
    }

    /// <summary>Appends a decimal number as <see cref="Utf8JsonWriter.WriteNumberValue(int)"/> does.</summary>
    /// <param name="value">The number; the caller reserved 11 bytes.</param>
    public void WriteNumber(int value)
    {
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out int written);
        _length += written;
    }

    /// <summary>Appends <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value; the caller reserved 5 bytes.</param>
    public void WriteBoolean(bool value) => WriteRaw(value ? "true"u8 : "false"u8);

    /// <summary>Appends a quoted JSON string, escaped as the relaxed encoder does.</summary>
    /// <param name="value">The string (a name, never a secret); the caller reserved <see cref="MaxStringBytes"/>.</param>
    public void WriteString(string value)
    {
        Span<byte> destination = _buffer.AsSpan(_length);
        if (value.Length + 2 <= destination.Length && TryWritePlainAscii(value, destination[1..]))
        {
            destination[0] = (byte)'"';
            destination[value.Length + 1] = (byte)'"';
            _length += value.Length + 2;
            return;
        }

        WriteEscaped(value);
    }

    /// <summary>Writes the buffered bytes to the stream and zeroes them.</summary>
    public void Flush()
    {
        if (_length > 0)
        {
            _stream.Write(_buffer, 0, _length);
            CryptographicOperations.ZeroMemory(_buffer.AsSpan(0, _length));
            _length = 0;
        }
    }

    /// <summary>Writes out what is buffered, flushes the stream (not disposed) and zeroes the buffer.</summary>
    public void Dispose()
    {
        try
        {
            Flush();
            _stream.Flush();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(_buffer);
            _length = 0;
            _escapeWriter?.Dispose();
        }
    }

    // Printable ASCII but the quote and the backslash: what the relaxed encoder leaves alone (a test checks every such
    // character against Utf8JsonWriter).
    private static bool TryWritePlainAscii(string value, Span<byte> destination)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
            {
                return false;
            }

            destination[i] = (byte)c;
        }

        return true;
    }

    private void WriteEscaped(string value)
    {
        _escapeBuffer ??= new ArrayBufferWriter<byte>(256);
        _escapeWriter ??= new Utf8JsonWriter(_escapeBuffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _escapeWriter.WriteStringValue(value);
        _escapeWriter.Flush();
        ReadOnlySpan<byte> escaped = _escapeBuffer.WrittenSpan;
        Reserve(escaped.Length);
        WriteRaw(escaped);
        _escapeBuffer.Clear();
        _escapeWriter.Reset();
    }
}
