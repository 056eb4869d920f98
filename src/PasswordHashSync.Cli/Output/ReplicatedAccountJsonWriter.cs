using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.Cli.Output;

/// <summary>
/// Writes one JSON object per replicated account (<c>pwsync replicate</c>): samAccountName, objectSid, objectGuid,
/// userPrincipalName, userAccountControl, ntHash, ntHashHistory and kerberosKeys [{etype, key, salt, iterations}] (the
/// current keys of supplementalCredentials, read by the core's extractor; salt in hex like <c>pwsync sync</c> records).
/// </summary>
/// <remarks>
/// No secret becomes a <see cref="string"/>: the hash and key bytes are formatted as lowercase hex straight into a
/// stack (or, past 64 bytes, a zeroed private) buffer and written as UTF-8 by <see cref="Utf8JsonWriter"/> into a
/// <see cref="ZeroingBufferWriter"/>; each line goes to the stream in one write and the buffer is zeroed right after
/// (also when the account fails half-way). The stream should be unbuffered (<c>SecretFileWriter</c>'s
/// <c>unbuffered</c>, or standard output), so no other copy is kept. The bytes are the same as those of the former
/// string-based writer (relaxed escaping, one object per line).
/// </remarks>
internal sealed class ReplicatedAccountJsonWriter : IDisposable
{
    private const int StackHexBytes = 64;
    private readonly Stream _stream;
    private readonly ZeroingBufferWriter _buffer = new();
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the JSON lines go; not disposed.</param>
    public ReplicatedAccountJsonWriter(Stream stream)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>How many accounts were written.</summary>
    public int Count { get; private set; }

    /// <summary>The line buffer (for tests: zeros after every <see cref="Write"/>).</summary>
    internal ZeroingBufferWriter Buffer => _buffer;

    /// <summary>Writes one account as one line.</summary>
    /// <param name="account">The account.</param>
    /// <exception cref="SupplementalCredentialsFormatException">The account's supplementalCredentials are malformed.</exception>
    public void Write(ReplicatedAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        IReadOnlyList<KerberosKey> keys = account.SupplementalCredentials.IsEmpty
            ? []
            : SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(account.SupplementalCredentials);
        try
        {
            _writer.WriteStartObject();
            WriteNullable("samAccountName", account.SamAccountName);
            WriteNullable("objectSid", account.ObjectSid);
            WriteNullable("objectGuid", account.ObjectGuid?.ToString("D", CultureInfo.InvariantCulture));
            WriteNullable("userPrincipalName", account.UserPrincipalName);
            _writer.WriteNumber("userAccountControl"u8, (int)account.UserAccountControl);
            if (account.NtHash.IsEmpty)
            {
                _writer.WriteNull("ntHash"u8);
            }
            else
            {
                WriteHex("ntHash"u8, account.NtHash.Span);
            }

            _writer.WriteStartArray("ntHashHistory"u8);
            foreach (ReadOnlyMemory<byte> entry in account.NtHashHistory)
            {
                WriteHex(default, entry.Span);
            }

            _writer.WriteEndArray();
            _writer.WriteStartArray("kerberosKeys"u8);
            foreach (KerberosKey key in keys)
            {
                _writer.WriteStartObject();
                _writer.WriteNumber("etype"u8, (int)key.EncryptionType);
                WriteHex("key"u8, key.Key.Span);
                WriteHex("salt"u8, key.Salt.Span);
                _writer.WriteNumber("iterations"u8, key.IterationCount);
                _writer.WriteEndObject();
            }

            _writer.WriteEndArray();
            _writer.WriteEndObject();
            _writer.Flush();
            _buffer.GetSpan(1)[0] = (byte)'\n';
            _buffer.Advance(1);
            _stream.Write(_buffer.WrittenSpan);
            Count++;
        }
        finally
        {
            _writer.Reset();
            _buffer.Clear();
            foreach (KerberosKey key in keys)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>Flushes the stream and zeroes the line buffer (the stream is not disposed).</summary>
    public void Dispose()
    {
        _stream.Flush();
        _writer.Dispose();
        _buffer.Dispose();
    }

    /// <summary>Lowercase hex of <paramref name="bytes"/> written without a string; a property when <paramref name="name"/> is not empty, else an array value.</summary>
    private void WriteHex(ReadOnlySpan<byte> name, ReadOnlySpan<byte> bytes)
    {
        byte[]? rented = bytes.Length > StackHexBytes ? ArrayPool<byte>.Shared.Rent(bytes.Length * 2) : null;
        Span<byte> hex = rented is null ? stackalloc byte[StackHexBytes * 2] : rented;
        hex = hex[..(bytes.Length * 2)];
        try
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                hex[2 * i] = HexDigit(bytes[i] >> 4);
                hex[(2 * i) + 1] = HexDigit(bytes[i] & 0xF);
            }

            if (name.IsEmpty)
            {
                _writer.WriteStringValue(hex);
            }
            else
            {
                _writer.WriteString(name, hex);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hex);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static byte HexDigit(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private void WriteNullable(string name, string? value)
    {
        if (value is null)
        {
            _writer.WriteNull(name);
        }
        else
        {
            _writer.WriteString(name, value);
        }
    }
}
