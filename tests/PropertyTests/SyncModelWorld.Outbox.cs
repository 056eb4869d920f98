using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Digest;
using PasswordHashSync.Sync;

namespace PasswordHashSync.PropertyTests;

// The lock and the outbox in the model: restarts pass the file store's lock from one run to the next, a second
// process is refused while a run holds it, a crash between export and save re-sends (at least once, never out of
// order), and with an outbox the cloud applies what it reads from the agent's segments, not what the runner hands over.
internal sealed partial class SyncModelWorld
{
    private readonly Func<ISyncStateStore> _openStore;
    private readonly string? _outboxDirectory;
    private CrashableStore _crashable;
    private RecordOutbox? _outbox;

    /// <summary>How many restarts found the previous run's lock released and took it.</summary>
    public int LockHandovers { get; private set; }

    /// <summary>How many second processes were refused by the lock.</summary>
    public int SecondProcessesRefused { get; private set; }

    /// <summary>How many records the cloud read from outbox segments.</summary>
    public int RecordsReadFromOutbox { get; private set; }

    private IPasswordHashExporter Target()
    {
        if (_outboxDirectory is null)
        {
            return this;
        }

        _outbox ??= new RecordOutbox(_outboxDirectory, Clock);
        return new OutboxTarget(this, new OutboxExporter(_outbox, NullLogger.Instance));
    }

    /// <summary>A new run: the old store (and its lock) is released, a new one opened, the crash (if any) is over.</summary>
    private PasswordSyncRunner Restart()
    {
        if (_crashable.Inner is IDisposable old)
        {
            old.Dispose();
            _crashable = new CrashableStore(_openStore());
            LockHandovers++;
        }
        else
        {
            _crashable.Crashed = false;
        }

        return NewRunner();
    }

    private void CrashDuringCycle(PasswordSyncRunner runner)
    {
        _crashable.Crashed = true;
        try
        {
            runner.RunCycleAsync().GetAwaiter().GetResult();
        }
        catch (IOException e) when (e.Message == CrashableStore.KilledMessage)
        {
            // The process "died" at its first save: what it exported is out, its state is not.
        }

        DrainOutbox();
    }

    private void TrySecondProcess()
    {
        if (_crashable.Inner is not FileSyncStateStore store)
        {
            return;
        }

        SyncState before = store.LoadAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            using var second = new FileSyncStateStore(store.FilePath);
            Violations.Add("a second store opened the state while the runner held it");
        }
        catch (SyncStateLockedException e) when (e.LockFilePath == store.LockFilePath)
        {
            SecondProcessesRefused++;
        }

        if (store.LoadAsync().AsTask().GetAwaiter().GetResult().Watermark != before.Watermark)
        {
            Violations.Add("the refused second process changed the state");
        }
    }

    /// <summary>The cloud consumes the outbox: segments in name order, records in line order, each segment deleted after.</summary>
    private void DrainOutbox()
    {
        if (_outbox is null)
        {
            return;
        }

        foreach (string segment in _outbox.Segments())
        {
            foreach (string line in File.ReadAllLines(segment))
            {
                ApplyOutboxRecord(line);
            }

            File.Delete(segment);
        }
    }

    private void ApplyOutboxRecord(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement record = document.RootElement;
        int u = IndexOf(record.GetProperty("sourceAnchor").GetString()!);
        RecordsReadFromOutbox++;
        SaltedDigest digest = SaltedDigest.Parse(record.GetProperty("digest").GetString()!);
        int index = _history[u].FindIndex(t => Matches(t, digest));
        if (index < 0)
        {
            Violations.Add($"user {u}: an outbox digest matches none of its passwords");
            return;
        }

        // Never an older password after a newer one (the same one again is the at-least-once re-send).
        if (_newestIndexApplied[u] > index)
        {
            Violations.Add($"user {u}: password #{index} read from the outbox after #{_newestIndexApplied[u]}");
        }

        _newestIndexApplied[u] = index;
        string token = _history[u][index];
        _cloud[u] = token;
        _cloudForceChange[u] = record.GetProperty("forceChangePasswordNextSignIn").GetBoolean();
        JsonElement managed = record.GetProperty("managedDomain");
        byte[] nt = Convert.FromHexString(managed.GetProperty("ntHash").GetString()!);
        byte[] key = Convert.FromHexString(managed.GetProperty("kerberosKeys")[0].GetProperty("key").GetString()!);
        if (!nt.AsSpan().SequenceEqual(NtHash.Compute(token)) || !key.AsSpan().SequenceEqual(SyncModelKeyExtractor.KeyOf(token)))
        {
            Violations.Add($"user {u}: the outbox's managed-domain record carries another password");
        }

        if (!managed.GetProperty("dontExpirePassword").GetBoolean() || managed.GetProperty("pwdLastSetZero").GetBoolean() != _cloudForceChange[u])
        {
            Violations.Add($"user {u}: the outbox's managed-domain flags do not match the cloud record");
        }

        _managedDomain[u] = token;
    }

    private readonly int[] _newestIndexApplied = new int[UserCount];

    /// <summary>The runner's target in outbox mode: failing users are refused, the rest written to the outbox.</summary>
    private sealed class OutboxTarget(SyncModelWorld world, OutboxExporter outbox) : IPasswordHashExporter
    {
        public async ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
        {
            var accepted = new List<SyncDecision>();
            var results = new List<SyncExportResult>();
            foreach (SyncDecision decision in batch)
            {
                int u = IndexOf(decision.SourceAnchor);
                if (world._failing[u])
                {
                    results.Add(SyncExportResult.Failure(decision.SourceAnchor, "injected"));
                    continue;
                }

                world.CheckSentInScope(u);
                accepted.Add(decision);
            }

            if (accepted.Count > 0)
            {
                results.AddRange(await outbox.ExportAsync(accepted, cancellationToken));
            }

            return results;
        }

        public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>A store whose saves fail while "crashed": the process died before it could persist anything more.</summary>
    private sealed class CrashableStore(ISyncStateStore inner) : ISyncStateStore
    {
        public const string KilledMessage = "killed before the save";

        public ISyncStateStore Inner { get; } = inner;

        public bool Crashed { get; set; }

        public ValueTask<SyncState> LoadAsync(CancellationToken cancellationToken = default) => Inner.LoadAsync(cancellationToken);

        public ValueTask SaveAsync(SyncState state, CancellationToken cancellationToken = default) =>
            Crashed ? throw new IOException(KilledMessage) : Inner.SaveAsync(state, cancellationToken);
    }

    /// <summary>Releases the store (and its lock) at the end of a scenario.</summary>
    public void Close()
    {
        (_crashable.Inner as IDisposable)?.Dispose();
    }
}
