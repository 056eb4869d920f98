using PasswordHashSync.Cli.Output;
using PasswordHashSync.Digest;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>Writes one JSON object per sync decision (the records file of <c>pwsync sync --output</c>, the agent's outbox).</summary>
/// <remarks>
/// Each record is formatted straight into a pinned UTF-8 buffer (<see cref="Utf8LineBuffer"/>): the digest, the NT hash
/// and the Kerberos keys go from their spans to hex in the buffer, so no string ever holds a secret, and the buffer is
/// zeroed after every write to the stream. The bytes are those <see cref="System.Text.Json.Utf8JsonWriter"/> wrote
/// before (relaxed escaping, no indentation, one object per line); a unit test compares the two on every field.
/// </remarks>
internal sealed class SyncRecordWriter : IDisposable
{
    // Every byte of a record but its strings, its reasons and its keys, with room to spare.
    private const int FixedBytes = 512;
    private const int BytesPerKey = 96;
    private const int BytesPerReason = 64;

    private readonly Utf8LineBuffer _buffer;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the JSON lines go; flushed, not disposed, when the writer is.</param>
    public SyncRecordWriter(Stream stream) => _buffer = new Utf8LineBuffer(stream);

    /// <summary>Whether a decision counts as "sync" (the password is exported) rather than "skip".</summary>
    /// <param name="decision">The decision.</param>
    /// <returns>sync or skip.</returns>
    public static string DecisionName(SyncDecision decision) => decision.Action == SyncAction.Export ? "sync" : "skip";

    /// <summary>Writes the record of one user.</summary>
    /// <param name="user">The directory user.</param>
    /// <param name="decision">The engine's decision.</param>
    public void Write(DirectoryUser user, SyncDecision decision) => Write(user.SamAccountName, decision);

    /// <summary>Writes the record of one decision (the agent's outbox, where the decision carries the account name).</summary>
    /// <param name="decision">The engine's decision.</param>
    public void Write(SyncDecision decision) => Write(decision.SamAccountName, decision);

    /// <summary>Writes the buffered records to the stream (and zeroes the buffer).</summary>
    public void Flush() => _buffer.Flush();

    /// <summary>Writes out the buffered records, flushes the stream (not disposed) and zeroes the buffer.</summary>
    public void Dispose() => _buffer.Dispose();

    private void Write(string? samAccountName, SyncDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        CloudPasswordRecord? cloud = decision.CloudRecord;
        ManagedDomainRecord? managed = decision.ManagedDomainRecord;
        _buffer.Reserve(Bound(samAccountName, decision, cloud, managed));
        Utf8LineBuffer b = _buffer;
        b.WriteRaw("{\"samAccountName\":"u8);
        WriteNullable(samAccountName);
        b.WriteRaw(",\"distinguishedName\":"u8);
        b.WriteString(decision.DistinguishedName);
        b.WriteRaw(",\"sourceAnchor\":"u8);
        b.WriteString(decision.SourceAnchor);
        b.WriteRaw(decision.Action == SyncAction.Export ? ",\"decision\":\"sync\",\"action\":"u8 : ",\"decision\":\"skip\",\"action\":"u8);
        b.WriteString(EnumNames<SyncAction>.Of(decision.Action));
        b.WriteRaw(",\"status\":"u8);
        b.WriteString(EnumNames<PasswordSyncStatus>.Of(decision.Status));
        b.WriteRaw(",\"reasons\":["u8);
        IReadOnlyList<SyncReason> reasons = decision.Reasons;
        for (int i = 0; i < reasons.Count; i++)
        {
            if (i > 0)
            {
                b.WriteByte((byte)',');
            }

            b.WriteString(EnumNames<SyncReason>.Of(reasons[i]));
        }

        b.WriteRaw("],\"digest\":"u8);
        if (cloud is null)
        {
            b.WriteRaw("null"u8);
        }
        else
        {
            WriteDigest(cloud.Digest);
        }

        b.WriteRaw(",\"passwordPolicies\":"u8);
        WriteNullable(cloud?.PasswordPolicies);
        b.WriteRaw(",\"forceChangePasswordNextSignIn\":"u8);
        b.WriteBoolean(cloud?.ForceChangePasswordNextSignIn ?? false);
        if (managed is not null)
        {
            WriteManagedDomain(managed);
        }

        b.WriteRaw("}\n"u8);
    }

    private static int Bound(string? samAccountName, SyncDecision decision, CloudPasswordRecord? cloud, ManagedDomainRecord? managed)
    {
        int bytes = FixedBytes
            + Utf8LineBuffer.MaxStringBytes(samAccountName?.Length ?? 0)
            + Utf8LineBuffer.MaxStringBytes(decision.DistinguishedName.Length)
            + Utf8LineBuffer.MaxStringBytes(decision.SourceAnchor.Length)
            + (BytesPerReason * decision.Reasons.Count);
        if (cloud is not null)
        {
            bytes += cloud.Digest.WireStringLength + Utf8LineBuffer.MaxStringBytes(cloud.PasswordPolicies?.Length ?? 0);
        }

        if (managed is not null)
        {
            foreach (KerberosKey key in managed.KerberosKeys)
            {
                bytes += BytesPerKey + (2 * key.Key.Length) + (2 * key.Salt.Length);
            }
        }

        return bytes;
    }

    // The wire form v1;PPH1_MD4,<salt hex>,<iterations>,<hash hex>; (SaltedDigest.ToWireString), formatted in place.
    private void WriteDigest(SaltedDigest digest)
    {
        Utf8LineBuffer b = _buffer;
        b.WriteByte((byte)'"');
        b.WriteRaw("v1;PPH1_MD4,"u8);
        b.WriteHex(digest.Salt.Span);
        b.WriteByte((byte)',');
        b.WriteNumber(digest.IterationCount);
        b.WriteByte((byte)',');
        b.WriteHex(digest.Hash.Span);
        b.WriteRaw(";\""u8);
    }

    private void WriteManagedDomain(ManagedDomainRecord managed)
    {
        Utf8LineBuffer b = _buffer;
        b.WriteRaw(",\"managedDomain\":{\"ntHash\":"u8);
        b.WriteHexString(managed.NtHash.Span);
        b.WriteRaw(",\"ntHashRandomized\":"u8);
        b.WriteBoolean(managed.NtHashRandomized);
        b.WriteRaw(",\"dontExpirePassword\":"u8);
        b.WriteBoolean(managed.DontExpirePassword);
        b.WriteRaw(",\"pwdLastSetZero\":"u8);
        b.WriteBoolean(managed.PwdLastSetZero);
        b.WriteRaw(",\"kerberosKeys\":["u8);
        IReadOnlyList<KerberosKey> keys = managed.KerberosKeys;
        for (int i = 0; i < keys.Count; i++)
        {
            KerberosKey key = keys[i];
            b.WriteRaw(i == 0 ? "{\"etype\":"u8 : ",{\"etype\":"u8);
            b.WriteNumber((int)key.EncryptionType);
            b.WriteRaw(",\"key\":"u8);
            b.WriteHexString(key.Key.Span);
            b.WriteRaw(",\"salt\":"u8);
            b.WriteHexString(key.Salt.Span);
            b.WriteRaw(",\"iterations\":"u8);
            b.WriteNumber(key.IterationCount);
            b.WriteByte((byte)'}');
        }

        b.WriteRaw("]}"u8);
    }

    private void WriteNullable(string? value)
    {
        if (value is null)
        {
            _buffer.WriteRaw("null"u8);
        }
        else
        {
            _buffer.WriteString(value);
        }
    }

    /// <summary>The names of an enum's values, made once (<see cref="Enum.ToString()"/> allocates a string per call).</summary>
    private static class EnumNames<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => v.ToString());

        public static string Of(T value) => Names.TryGetValue(value, out string? name) ? name : value.ToString();
    }
}
