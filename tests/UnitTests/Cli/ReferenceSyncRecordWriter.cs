using System.Text.Json;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The records file as <c>pwsync sync</c> wrote it through <see cref="Utf8JsonWriter"/> (relaxed escaping) before the
/// record writer formatted into its own buffer: the reference the new writer's bytes are compared with.
/// </summary>
internal sealed class ReferenceSyncRecordWriter : IDisposable
{
    private readonly JsonLinesWriter _lines;
    private readonly Utf8JsonWriter _writer;

    public ReferenceSyncRecordWriter(Stream stream)
    {
        _lines = new JsonLinesWriter(stream);
        _writer = _lines.Json;
    }

    public void Write(DirectoryUser user, SyncDecision decision) => Write(user.SamAccountName, decision);

    public void Write(string? samAccountName, SyncDecision decision)
    {
        _writer.WriteStartObject();
        _lines.WriteNullable("samAccountName", samAccountName);
        _writer.WriteString("distinguishedName", decision.DistinguishedName);
        _writer.WriteString("sourceAnchor", decision.SourceAnchor);
        _writer.WriteString("decision", decision.Action == SyncAction.Export ? "sync" : "skip");
        _writer.WriteString("action", decision.Action.ToString());
        _writer.WriteString("status", decision.Status.ToString());
        _writer.WriteStartArray("reasons");
        foreach (SyncReason reason in decision.Reasons)
        {
            _writer.WriteStringValue(reason.ToString());
        }

        _writer.WriteEndArray();
        CloudPasswordRecord? cloud = decision.CloudRecord;
        _lines.WriteNullable("digest", cloud?.Digest.ToWireString());
        _lines.WriteNullable("passwordPolicies", cloud?.PasswordPolicies);
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

    public void Dispose() => _lines.Dispose();
}
