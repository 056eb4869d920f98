using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Digest;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.PropertyTests;

/// <summary>One step of a random sync scenario.</summary>
public enum SyncOpKind
{
    OnPremChange,
    CloudReset,
    ScopeToggle,
    FailureToggle,
    Restart,
    StagingToggle,
    MustChangeToggle,
    Cycle,

    /// <summary>A cycle killed after its export and before its state save (SIGKILL), then a restart.</summary>
    CrashDuringCycle,

    /// <summary>A second process tries to open the same state while the runner holds it.</summary>
    SecondProcess,
}

/// <summary>A step applied to one of the scenario's users.</summary>
public sealed record SyncOp(SyncOpKind Kind, int User)
{
    public override string ToString() => $"{Kind}({User})";
}

/// <summary>A random sequence of steps.</summary>
public sealed record SyncScenario(SyncOp[] Ops)
{
    public override string ToString() => "[" + string.Join(", ", Ops.Select(o => o.ToString())) + "]";
}

/// <summary>A clock the scenario moves.</summary>
internal sealed class SyncModelClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The world a scenario runs in: an on-premises directory with a change log, a cloud that records what it receives
/// (and checks invariants as it goes), and the reference model of what the cloud must end up holding.
/// </summary>
internal sealed partial class SyncModelWorld : IDirectoryChangeSource, IPasswordHashExporter, ISyncUserContextProvider
{
    public const int UserCount = 3;

    private readonly List<DirectoryUser> _log = [];
    private readonly DirectoryUser[] _current = new DirectoryUser[UserCount];
    private readonly string[] _password = new string[UserCount];
    private readonly bool[] _enabled = new bool[UserCount];
    private readonly bool[] _failing = new bool[UserCount];
    private readonly int[] _changes = new int[UserCount];
    private readonly bool[] _mustChange = new bool[UserCount];
    private readonly DateTimeOffset[] _passwordTime = new DateTimeOffset[UserCount];
    private readonly DateTimeOffset[] _pwdLastSet = new DateTimeOffset[UserCount];

    // The reference model: newest on-premises change and newest cloud reset per user.
    private readonly (string Token, DateTimeOffset Time)[] _onPrem = new (string, DateTimeOffset)[UserCount];
    private readonly (string Token, DateTimeOffset Time)?[] _reset = new (string, DateTimeOffset)?[UserCount];

    // The cloud as the exporter sees it.
    private readonly string?[] _cloud = new string?[UserCount];
    private readonly bool[] _cloudForceChange = new bool[UserCount];
    private readonly string?[] _managedDomain = new string?[UserCount];
    private readonly DateTimeOffset?[] _newestReceived = new DateTimeOffset?[UserCount];
    private readonly List<string>[] _history = new List<string>[UserCount];

    public SyncModelWorld(ISyncStateStore store)
        : this(() => store, outboxDirectory: null)
    {
    }

    /// <summary>
    /// A world whose store is opened by <paramref name="openStore"/> (again at every restart, after the previous one is
    /// disposed: that is how the file store's lock passes between runs) and, with <paramref name="outboxDirectory"/>,
    /// whose records travel through the agent's outbox before the cloud applies them.
    /// </summary>
    public SyncModelWorld(Func<ISyncStateStore> openStore, string? outboxDirectory)
    {
        _openStore = openStore;
        _outboxDirectory = outboxDirectory;
        _crashable = new CrashableStore(openStore());
        Settings = new PasswordHashSyncSettings { DigestIterationCount = 1, ForcePasswordChangeOnLogOn = true, ManagedDomainEnabled = true };
        for (int i = 0; i < UserCount; i++)
        {
            _enabled[i] = true;
            _history[i] = [];
            ChangePassword(i);
        }
    }

    public SyncModelClock Clock { get; } = new();

    public ISyncStateStore Store => _crashable;

    public PasswordHashSyncSettings Settings { get; }

    public List<string> Violations { get; } = [];

    public PasswordSyncRunner NewRunner() => new(this, Target(), Store, new SyncPlanner(new SyncModelKeyExtractor()), Settings, Clock, this);

    public static string Anchor(int user) => Convert.ToBase64String(GuidOf(user).ToByteArray());

    public void Apply(SyncOp op, ref PasswordSyncRunner runner)
    {
        Clock.Now += TimeSpan.FromSeconds(1);
        int u = op.User;
        switch (op.Kind)
        {
            case SyncOpKind.OnPremChange:
                ChangePassword(u);
                break;
            case SyncOpKind.CloudReset:
                string token = $"cloud{u}-{Clock.Now.Ticks}";
                _reset[u] = (token, Clock.Now);
                _cloud[u] = token;
                _cloudForceChange[u] = false;
                _managedDomain[u] = token;
                break;
            case SyncOpKind.MustChangeToggle:
                ToggleMustChange(u);
                break;
            case SyncOpKind.ScopeToggle:
                _enabled[u] = !_enabled[u];
                Publish(u);
                break;
            case SyncOpKind.FailureToggle:
                _failing[u] = !_failing[u];
                break;
            case SyncOpKind.Restart:
                runner = Restart();
                break;
            case SyncOpKind.CrashDuringCycle:
                Clock.Now += TimeSpan.FromMinutes(2);
                CrashDuringCycle(runner);
                runner = Restart();
                break;
            case SyncOpKind.SecondProcess:
                TrySecondProcess();
                break;
            case SyncOpKind.StagingToggle:
                Settings.StagingMode = !Settings.StagingMode;
                break;
            case SyncOpKind.Cycle:
                Clock.Now += TimeSpan.FromMinutes(2);
                runner.RunCycleAsync().GetAwaiter().GetResult();
                DrainOutbox();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    /// <summary>Leave staging, stop failing, bring every user into scope, and run cycles until retries are done.</summary>
    public void Settle(PasswordSyncRunner runner)
    {
        Settings.StagingMode = false;
        Array.Fill(_failing, false);
        for (int u = 0; u < UserCount; u++)
        {
            if (!_enabled[u])
            {
                _enabled[u] = true;
                Publish(u);
            }
        }

        for (int i = 0; i < 4; i++)
        {
            Clock.Now += Settings.RetryMaxDelay;
            runner.RunCycleAsync().GetAwaiter().GetResult();
            DrainOutbox();
        }
    }

    /// <summary>The reference model: the newest on-premises change wins only if it is newer than the newest cloud reset.</summary>
    public string Expected(int user) =>
        _reset[user] is { } reset && reset.Time >= _onPrem[user].Time ? reset.Token : _onPrem[user].Token;

    public string? Cloud(int user) => _cloud[user];

    /// <summary>The force-change flag the cloud must end with: the on-premises "must change" state when on-premises wins.</summary>
    public bool ExpectedForceChange(int user) => Expected(user) == _onPrem[user].Token && _mustChange[user];

    public bool CloudForceChange(int user) => _cloudForceChange[user];

    public string? ManagedDomain(int user) => _managedDomain[user];

    // --- IDirectoryChangeSource ---
    public ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken)
    {
        int from = watermark is null ? 0 : int.Parse(watermark, System.Globalization.CultureInfo.InvariantCulture);
        return ValueTask.FromResult(new DirectoryChangeSet(_log.Skip(from).ToList(), Watermark()));
    }

    public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(Watermark());

    public ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DirectoryUser?>(_current.FirstOrDefault(u => SyncPlanner.GetSourceAnchor(u) == sourceAnchor));

    public IAsyncEnumerable<DirectoryUser> GetAllUsersAsync(CancellationToken cancellationToken) => _current.ToArray().ToAsyncEnumerable();

    // --- IPasswordHashExporter: the cloud ---
    public ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
    {
        if (batch.Count is < 1 or > 50)
        {
            Violations.Add($"batch of {batch.Count}");
        }

        var results = new List<SyncExportResult>();
        foreach (SyncDecision decision in batch)
        {
            int u = IndexOf(decision.SourceAnchor);
            if (_failing[u])
            {
                results.Add(SyncExportResult.Failure(decision.SourceAnchor, "injected"));
                continue;
            }

            CheckSentInScope(u);
            CloudPasswordRecord record = decision.CloudRecord!;
            if (_newestReceived[u] is DateTimeOffset newest && record.ChangeTime < newest)
            {
                Violations.Add($"user {u}: change of {record.ChangeTime:O} sent after {newest:O}");
            }

            _newestReceived[u] = record.ChangeTime;
            string? token = _history[u].FirstOrDefault(t => Matches(t, record.Digest));
            if (token is null)
            {
                Violations.Add($"user {u}: the digest matches none of its passwords");
            }

            _cloud[u] = token;
            _cloudForceChange[u] = record.ForceChangePasswordNextSignIn;
            CheckManagedDomainRecord(u, token, decision);
            results.Add(SyncExportResult.Success(decision.SourceAnchor));
        }

        return ValueTask.FromResult<IReadOnlyList<SyncExportResult>>(results);
    }

    public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    // --- ISyncUserContextProvider: the cloud tells the engine about its own resets ---
    public SyncUserContext GetContext(DirectoryUser user)
    {
        int u = IndexOf(SyncPlanner.GetSourceAnchor(user));
        return _reset[u] is { } reset ? new SyncUserContext { CloudPasswordChanged = reset.Time } : SyncUserContext.Default;
    }

    private void CheckSentInScope(int u)
    {
        if (!_enabled[u])
        {
            Violations.Add($"user {u} was sent while out of scope");
        }

        if (Settings.StagingMode)
        {
            Violations.Add("a record was sent in staging mode");
        }
    }

    // The managed-domain record must carry the same password as the cloud record, with the mapped account flags.
    private void CheckManagedDomainRecord(int u, string? token, SyncDecision decision)
    {
        ManagedDomainRecord? md = decision.ManagedDomainRecord;
        if (md is null || token is null)
        {
            Violations.Add($"user {u}: no managed-domain record");
            return;
        }

        if (!md.NtHash.Span.SequenceEqual(NtHash.Compute(token)) || !md.KerberosKeys[0].Key.Span.SequenceEqual(SyncModelKeyExtractor.KeyOf(token)))
        {
            Violations.Add($"user {u}: the managed-domain record carries another password");
        }

        if (!md.DontExpirePassword || md.PwdLastSetZero != decision.CloudRecord!.ForceChangePasswordNextSignIn)
        {
            Violations.Add($"user {u}: managed-domain flags do not match the cloud record");
        }

        _managedDomain[u] = token;
    }

    private static Guid GuidOf(int user) => new(SHA256.HashData(Encoding.UTF8.GetBytes("model-user-" + user)).AsSpan(0, 16));

    private static int IndexOf(string anchor)
    {
        for (int i = 0; i < UserCount; i++)
        {
            if (Anchor(i) == anchor)
            {
                return i;
            }
        }

        throw new InvalidOperationException("Unknown anchor.");
    }

    // Independent check of the digest: PBKDF2 over the upper-case hex NT hash, recomputed here.
    private static bool Matches(string password, SaltedDigest digest)
    {
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(NtHash.Compute(password)));
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(input, digest.Salt.ToArray(), digest.IterationCount, HashAlgorithmName.SHA256, 32);
        return hash.AsSpan().SequenceEqual(digest.Hash.Span);
    }

    private string Watermark() => _log.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void ChangePassword(int u)
    {
        // An admin reset keeps "must change" as it is; the password and pwdLastSet move to now.
        _changes[u]++;
        _password[u] = $"pw{u}-{_changes[u]}";
        _history[u].Add(_password[u]);
        _passwordTime[u] = Clock.Now;
        _pwdLastSet[u] = Clock.Now;
        _onPrem[u] = (_password[u], Clock.Now);
        Publish(u);
    }

    private void ToggleMustChange(int u)
    {
        if (_mustChange[u])
        {
            // Clearing the flag ("unexpire") sets pwdLastSet to now: a newer change of the same password.
            _mustChange[u] = false;
            _pwdLastSet[u] = Clock.Now;
            _onPrem[u] = (_password[u], Clock.Now);
            Publish(u);
        }
        else
        {
            // An admin reset with "User must change password at next logon" ticked: new password, pwdLastSet = 0.
            // (A flag-only set carries no time of its own; the unit tests cover it.)
            _mustChange[u] = true;
            ChangePassword(u);
        }
    }

    private void Publish(int u)
    {
        var user = new DirectoryUser
        {
            DistinguishedName = $"CN=user{u},DC=model,DC=test",
            ObjectClasses = ["top", "person", "organizationalPerson", "user"],
            ObjectGuid = GuidOf(u),
            SamAccountName = "user" + u,
            UserAccountControl = UserAccountControl.NormalAccount | (_enabled[u] ? 0 : UserAccountControl.AccountDisabled),
            NtHash = NtHash.Compute(_password[u]),
            SupplementalCredentials = Encoding.UTF8.GetBytes(_password[u]),
            PwdLastSet = _mustChange[u] ? 0 : _pwdLastSet[u].ToFileTime(),
            PasswordLastChanged = _passwordTime[u],
        };
        _current[u] = user;
        _log.Add(user);
    }
}

/// <summary>
/// Test seam for <see cref="IKerberosKeyExtractor"/>: the model's "supplementalCredentials" is the password itself and
/// the key is a SHA-256 of it (cheap; the real parser and string-to-key are tested elsewhere).
/// </summary>
internal sealed class SyncModelKeyExtractor : IKerberosKeyExtractor
{
    public static byte[] KeyOf(string password) => SHA256.HashData(Encoding.UTF8.GetBytes("model-key|" + password));

    public IReadOnlyList<Kerberos.KerberosKey> ExtractCurrentKeys(ReadOnlyMemory<byte> supplementalCredentials) =>
        [new Kerberos.KerberosKey(Kerberos.KerberosEncryptionType.Aes256CtsHmacSha196, KeyOf(Encoding.UTF8.GetString(supplementalCredentials.Span)), [], 4096)];
}
