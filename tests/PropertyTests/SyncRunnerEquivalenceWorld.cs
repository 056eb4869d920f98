using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.PropertyTests;

/// <summary>The steps of a random equivalence scenario (each applied to both runners' identical worlds).</summary>
public enum EquivalenceOpKind
{
    Change,
    StaleEcho,
    MustChangeToggle,
    DisableToggle,
    Delete,
    CloudReset,
    RejectUserToggle,
    SilentUserToggle,
    FailNextBatch,
    CancelAtBatch,
    SourceFaultAfter,
    RequireFullSync,
    StagingToggle,
    ManagedDomainToggle,
    NtlmToggle,
    RequestFullSync,
    RunFullSync,
    Restart,
    Cycle,
    WaitForRetries,
}

/// <summary>One step: a kind, the user it applies to and a small argument (a batch number, a user count).</summary>
public sealed record EquivalenceOp(EquivalenceOpKind Kind, int User, int Arg)
{
    public override string ToString() => $"{Kind}({User},{Arg})";
}

/// <summary>A directory, settings and a sequence of steps.</summary>
public sealed record EquivalenceCase(int Users, int BatchSize, int BlockUsers, bool FullSyncReadsTheLog, bool ManagedDomain, bool ForceChange, EquivalenceOp[] Ops)
{
    public override string ToString() =>
        $"users={Users} batch={BatchSize} block={BlockUsers} log={FullSyncReadsTheLog} md={ManagedDomain} force={ForceChange} [{string.Join(", ", Ops.Select(o => o.ToString()))}]";
}

/// <summary>A clock moved by the scenario only (never during a cycle), so both runners see the same times.</summary>
internal sealed class EquivalenceClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// A seeded salt and random-NT-hash source: the same stream for both runners, so their digests can be compared. It is
/// reseeded at every step: a cancelled pipelined cycle may have planned (drawn salts for) segments beyond the one it
/// stopped at, which the sequential runner never reached; those salts are never sent, and must not shift the next step's.
/// </summary>
internal sealed class SeededSyncRandomSource(int seed) : ISyncRandomSource
{
    private Random _random = new(seed);

    public void Reseed(int seed) => _random = new Random(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
}

/// <summary>
/// The world one runner runs in: a directory with a change log (which may repeat a user, older versions included),
/// a cloud exporter that records every batch byte for byte and fails or cancels on demand, and cloud resets.
/// Source, exporter and context provider at once, so it is thread-safe where the pipelined runner overlaps them:
/// the full-sync enumeration works on a snapshot taken when it starts, and the recorded events are locked.
/// </summary>
internal sealed class EquivalenceWorld : IDirectoryChangeSource, IPasswordHashExporter, ISyncUserContextProvider
{
    private readonly Lock _gate = new();
    private readonly List<DirectoryUser> _log = [];
    private readonly DirectoryUser?[] _current;
    private readonly int[] _version;
    private readonly bool[] _disabled;
    private readonly bool[] _mustChange;
    private readonly DateTimeOffset?[] _cloudReset;
    private readonly bool[] _rejected;
    private readonly bool[] _silent;
    private readonly List<string> _events = [];
    private readonly bool _fullSyncReadsTheLog;
    private int _batchesThisStep;
    private int _step;

    public EquivalenceWorld(EquivalenceCase scenario)
    {
        int n = scenario.Users;
        _current = new DirectoryUser?[n];
        _version = new int[n];
        _disabled = new bool[n];
        _mustChange = new bool[n];
        _cloudReset = new DateTimeOffset?[n];
        _rejected = new bool[n];
        _silent = new bool[n];
        _fullSyncReadsTheLog = scenario.FullSyncReadsTheLog;
        Settings = new PasswordHashSyncSettings
        {
            DigestIterationCount = 1,
            BatchSize = scenario.BatchSize,
            ManagedDomainEnabled = scenario.ManagedDomain,
            ForcePasswordChangeOnLogOn = scenario.ForceChange,
        };
        for (int u = 0; u < n; u++)
        {
            Publish(u);
        }
    }

    public EquivalenceClock Clock { get; } = new();

    public SeededSyncRandomSource Random { get; } = new(20260501);

    public InMemorySyncStateStore Store { get; } = new();

    public PasswordHashSyncSettings Settings { get; }

    public int Users => _current.Length;

    /// <summary>Whole batches still to fail (the exporter throws).</summary>
    public int FailNextBatches { get; set; }

    /// <summary>The batch of the current step at which the exporter cancels the step (0: never).</summary>
    public int CancelAtBatch { get; set; }

    /// <summary>The step's cancellation, which <see cref="CancelAtBatch"/> triggers.</summary>
    public CancellationTokenSource StepCancellation { get; private set; } = new();

    /// <summary>The next full-sync enumeration throws after this many users (-1: it does not).</summary>
    public int SourceFaultAfter { get; set; } = -1;

    /// <summary>The next change read refuses the watermark.</summary>
    public bool NextChangesRequireFullSync { get; set; }

    public void BeginStep()
    {
        _step++;
        Random.Reseed(20260501 + (7919 * _step));
        StepCancellation.Dispose();
        StepCancellation = new CancellationTokenSource();
        _batchesThisStep = 0;
        lock (_gate)
        {
            _events.Clear();
        }
    }

    public List<string> Events()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    public void Change(int u)
    {
        _version[u]++;
        Publish(u);
    }

    // A delayed replica: an older version of the user shows up again in the change log.
    public void StaleEcho(int u)
    {
        DirectoryUser? older = _log.FirstOrDefault(x => x.SamAccountName == "u" + u);
        if (older is not null)
        {
            _log.Add(older);
        }
    }

    public void ToggleMustChange(int u)
    {
        _mustChange[u] = !_mustChange[u];
        Publish(u);
    }

    public void ToggleDisabled(int u)
    {
        _disabled[u] = !_disabled[u];
        Publish(u);
    }

    public void Delete(int u) => _current[u] = null;

    public void CloudReset(int u) => _cloudReset[u] = Clock.Now;

    public void ToggleRejected(int u) => _rejected[u] = !_rejected[u];

    public void ToggleSilent(int u) => _silent[u] = !_silent[u];

    // --- IDirectoryChangeSource ---
    public ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken)
    {
        if (NextChangesRequireFullSync)
        {
            NextChangesRequireFullSync = false;
            return ValueTask.FromResult(DirectoryChangeSet.RequireFullSync("the test refused the watermark"));
        }

        int from = watermark is null ? 0 : int.Parse(watermark, System.Globalization.CultureInfo.InvariantCulture);
        return ValueTask.FromResult(new DirectoryChangeSet(_log.Skip(from).ToList(), Watermark()));
    }

    public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(Watermark());

    public ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_current.FirstOrDefault(u => u is not null && SyncPlanner.GetSourceAnchor(u) == sourceAnchor));

    public IAsyncEnumerable<DirectoryUser> GetAllUsersAsync(CancellationToken cancellationToken)
    {
        // The snapshot and the fault are taken now, on the caller's thread, before any stage runs.
        DirectoryUser[] snapshot = _fullSyncReadsTheLog ? [.. _log.Where(u => _current.Any(c => c is not null && c.SamAccountName == u.SamAccountName))] : [.. _current.OfType<DirectoryUser>()];
        int faultAfter = SourceFaultAfter;
        SourceFaultAfter = -1;
        return Enumerate(snapshot, faultAfter, cancellationToken);
    }

    // --- IPasswordHashExporter: records every batch, byte for byte ---
    public ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _batchesThisStep);
        if (n == CancelAtBatch)
        {
            StepCancellation.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }

        var line = new StringBuilder("batch");
        foreach (SyncDecision decision in batch)
        {
            line.Append(" | ").Append(Describe(decision));
        }

        if (FailNextBatches > 0)
        {
            FailNextBatches--;
            Record("thrown " + line);
            throw new InvalidOperationException("injected batch failure");
        }

        var results = new List<SyncExportResult>();
        foreach (SyncDecision decision in batch)
        {
            int u = IndexOf(decision.DistinguishedName);
            if (_silent[u])
            {
                continue;
            }

            results.Add(_rejected[u] ? SyncExportResult.Failure(decision.SourceAnchor, "rejected by the test") : SyncExportResult.Success(decision.SourceAnchor));
        }

        Record(line.ToString());
        return ValueTask.FromResult<IReadOnlyList<SyncExportResult>>(results);
    }

    public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        Record("heartbeat " + now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return ValueTask.CompletedTask;
    }

    // --- ISyncUserContextProvider ---
    public SyncUserContext GetContext(DirectoryUser user)
    {
        int u = IndexOf(user.DistinguishedName);
        return _cloudReset[u] is DateTimeOffset reset ? new SyncUserContext { CloudPasswordChanged = reset } : SyncUserContext.Default;
    }

    private static async IAsyncEnumerable<DirectoryUser> Enumerate(DirectoryUser[] users, int faultAfter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int i = 0; i < users.Length; i++)
        {
            if (i == faultAfter)
            {
                throw new IOException("the test's directory went away");
            }

            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return users[i];
        }
    }

    private static string Describe(SyncDecision d)
    {
        var s = new StringBuilder();
        s.Append(d.SourceAnchor).Append(' ').Append(d.Status).Append(" [").AppendJoin(",", d.Reasons).Append("] ").Append(d.Version);
        if (d.CloudRecord is CloudPasswordRecord c)
        {
            s.Append(" digest=").Append(Convert.ToHexString(c.Digest.Salt.Span)).Append(':').Append(Convert.ToHexString(c.Digest.Hash.Span))
                .Append('/').Append(c.Digest.IterationCount).Append(" policies=").Append(c.PasswordPolicies ?? "-").Append(" force=").Append(c.ForceChangePasswordNextSignIn);
        }

        if (d.ManagedDomainRecord is ManagedDomainRecord m)
        {
            s.Append(" md=").Append(Convert.ToHexString(m.NtHash.Span)).Append(" random=").Append(m.NtHashRandomized)
                .Append(" keys=").AppendJoin(",", m.KerberosKeys.Select(k => Convert.ToHexString(k.Key.Span)))
                .Append(" dontExpire=").Append(m.DontExpirePassword).Append(" zero=").Append(m.PwdLastSetZero);
        }

        return s.ToString();
    }

    private void Record(string line)
    {
        lock (_gate)
        {
            _events.Add(line);
        }
    }

    private static int IndexOf(string distinguishedName) => int.Parse(distinguishedName.AsSpan(4, distinguishedName.IndexOf(',', StringComparison.Ordinal) - 4), System.Globalization.CultureInfo.InvariantCulture);

    private string Watermark() => _log.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Publish(int u)
    {
        // Every fifth user has no objectGUID (anchored by its DN); every seventh starts without a password, every
        // fourth has no Kerberos keys (MissingAttribute, retried).
        string password = $"pw{u}-{_version[u]}";
        bool noPassword = u % 7 == 6 && _version[u] == 0;
        var user = new DirectoryUser
        {
            DistinguishedName = $"CN=u{u},DC=eq,DC=test",
            ObjectClasses = ["top", "person", "organizationalPerson", "user"],
            ObjectGuid = u % 5 == 4 ? null : new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("eq-user-" + u)).AsSpan(0, 16)),
            SamAccountName = "u" + u,
            UserAccountControl = UserAccountControl.NormalAccount | (_disabled[u] ? UserAccountControl.AccountDisabled : 0),
            NtHash = noPassword ? ReadOnlyMemory<byte>.Empty : SHA256.HashData(Encoding.UTF8.GetBytes(password)).AsMemory(0, 16),
            SupplementalCredentials = u % 4 == 3 ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(password),
            PwdLastSet = _mustChange[u] ? 0 : Clock.Now.ToFileTime(),
            PasswordLastChanged = Clock.Now,
        };
        _current[u] = user;
        _log.Add(user);
    }
}
