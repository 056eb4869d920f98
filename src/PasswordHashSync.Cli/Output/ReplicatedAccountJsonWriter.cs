using System.Globalization;
using System.Text.Json;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.Cli.Output;

/// <summary>
/// Writes one JSON object per replicated account (<c>pwsync replicate</c>): samAccountName, objectSid, objectGuid,
/// userPrincipalName, userAccountControl, ntHash, ntHashHistory and kerberosKeys [{etype, key, salt, iterations}] (the
/// current keys of supplementalCredentials, read by the core's extractor; salt in hex like <c>pwsync sync</c> records).
/// </summary>
internal sealed class ReplicatedAccountJsonWriter : IDisposable
{
    private readonly JsonLinesWriter _lines;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the JSON lines go; not disposed.</param>
    public ReplicatedAccountJsonWriter(Stream stream)
    {
        _lines = new JsonLinesWriter(stream);
        _writer = _lines.Json;
    }

    /// <summary>How many accounts were written.</summary>
    public int Count { get; private set; }

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
            _writer.WriteNumber("userAccountControl", (int)account.UserAccountControl);
            WriteNullable("ntHash", account.NtHash.IsEmpty ? null : Hex.Format(account.NtHash.Span));
            _writer.WriteStartArray("ntHashHistory");
            foreach (ReadOnlyMemory<byte> entry in account.NtHashHistory)
            {
                _writer.WriteStringValue(Hex.Format(entry.Span));
            }

            _writer.WriteEndArray();
            _lines.WriteKerberosKeys("kerberosKeys", keys);
            _writer.WriteEndObject();
            _lines.EndLine();
            Count++;
        }
        finally
        {
            foreach (KerberosKey key in keys)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>Flushes and releases the JSON writer (not the stream).</summary>
    public void Dispose() => _lines.Dispose();

    private void WriteNullable(string name, string? value) => _lines.WriteNullable(name, value);
}
