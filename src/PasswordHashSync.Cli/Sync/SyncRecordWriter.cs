using System.Text.Json;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>Writes one JSON object per sync decision (the records file of <c>pwsync sync --output</c>).</summary>
internal sealed class SyncRecordWriter : IDisposable
{
    private readonly JsonLinesWriter _lines;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the JSON lines go.</param>
    public SyncRecordWriter(Stream stream)
    {
        _lines = new JsonLinesWriter(stream);
        _writer = _lines.Json;
    }

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

    private void Write(string? samAccountName, SyncDecision decision)
    {
        _writer.WriteStartObject();
        WriteNullable("samAccountName", samAccountName);
        _writer.WriteString("distinguishedName", decision.DistinguishedName);
        _writer.WriteString("sourceAnchor", decision.SourceAnchor);
        _writer.WriteString("decision", DecisionName(decision));
        _writer.WriteString("action", decision.Action.ToString());
        _writer.WriteString("status", decision.Status.ToString());
        _writer.WriteStartArray("reasons");
        foreach (SyncReason reason in decision.Reasons)
        {
            _writer.WriteStringValue(reason.ToString());
        }
        _writer.WriteEndArray();
        CloudPasswordRecord? cloud = decision.CloudRecord;
        WriteNullable("digest", cloud?.Digest.ToWireString());
        WriteNullable("passwordPolicies", cloud?.PasswordPolicies);
        _writer.WriteBoolean("forceChangePasswordNextSignIn", cloud?.ForceChangePasswordNextSignIn ?? false);
        if (decision.ManagedDomainRecord is ManagedDomainRecord managed)
        {
            _writer.WriteStartObject("managedDomain");
            _writer.WriteString("ntHash", Hex.Format(managed.NtHash.Span));
            _writer.WriteBoolean("ntHashRandomized", managed.NtHashRandomized);
            _writer.WriteBoolean("dontExpirePassword", managed.DontExpirePassword);
            _writer.WriteBoolean("pwdLastSetZero", managed.PwdLastSetZero);
            _lines.WriteKerberosKeys("kerberosKeys", managed.KerberosKeys);
            _writer.WriteEndObject();
        }
        _writer.WriteEndObject();
        _lines.EndLine();
    }

    /// <summary>Flushes and releases the JSON writer (not the stream).</summary>
    public void Dispose() => _lines.Dispose();

    private void WriteNullable(string name, string? value) => _lines.WriteNullable(name, value);
}
