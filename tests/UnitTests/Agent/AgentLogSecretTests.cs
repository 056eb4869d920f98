using System.Text;
using Microsoft.Extensions.Logging;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;
using PasswordHashSync.TestSupport;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>
/// No secret in any log message: a run over the real Samba sample directory with the managed domain on (so NT hashes
/// and Kerberos keys are in every record), through a failing batch, a rejected user, retries, an unreachable directory,
/// a forced full sync and idle heartbeats, logged at Trace; every message, structured value and exception text is
/// scanned for every NT hash, Kerberos key, digest hash and digest salt in hex (both cases) and base64.
/// </summary>
public sealed class AgentLogSecretTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "phs-agent-logs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_directory))
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task EveryLogMessageOfARun_HoldsNoHashKeyOrDigestBytes()
    {
        List<DirectoryUser> users = [.. LdifDirectoryReader.ReadFile(Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif"))];
        var secrets = new List<byte[]>();
        foreach (DirectoryUser user in users)
        {
            if (!user.NtHash.IsEmpty)
            {
                secrets.Add(user.NtHash.ToArray());
            }

            if (!user.SupplementalCredentials.IsEmpty)
            {
                secrets.AddRange(SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(user.SupplementalCredentials).Select(k => k.Key.ToArray()));
            }
        }

        var directory = new SyncMemoryDirectory();
        users.ForEach(directory.Put);
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var time = new SyncManualTimeProvider(T0);
        var outbox = new RecordOutbox(Path.Combine(_directory, "outbox"), time);
        var exporter = new SecretCollectingExporter(new OutboxExporter(outbox, factory.CreateLogger("PasswordHashSync.Agent")), secrets);
        var settings = new PasswordHashSyncSettings { ManagedDomainEnabled = true, DigestIterationCount = 1 };
        using var store = new FileSyncStateStore(Path.Combine(_directory, "state.json"));
        var runner = new PasswordSyncRunner(directory, exporter, store, new SyncPlanner(SupplementalCredentialsKerberosKeyExtractor.Instance), settings, time, null, factory.CreateLogger<PasswordSyncRunner>());

        exporter.ThrowOnNextBatch = true;
        await runner.RunCycleAsync(); // initial full sync: the batch fails, every user goes to the retry queue
        time.Advance(TimeSpan.FromHours(2));
        exporter.RejectFirstUser = true;
        await runner.RunCycleAsync(); // retries: one rejected, the rest exported
        directory.Unreachable = true;
        time.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<IOException>(() => runner.RunCycleAsync());
        directory.Unreachable = false;
        await runner.RequestFullSyncAsync();
        time.Advance(TimeSpan.FromHours(2));
        await runner.RunCycleAsync(); // the forced full sync
        time.Advance(TimeSpan.FromHours(1));
        await runner.RunCycleAsync(); // idle: heartbeat

        List<CapturedLogEvent> events = [.. logs.Events];
        Assert.True(exporter.Collected > 0);
        int[] ids = [.. events.Select(e => e.EventId.Id).Distinct()];
        foreach (int expected in new[] { 1000, 1010, 1012, 1013, 1020, 1021, 1030, 1031, 1040, 1050, 1051, 1053, 2004 })
        {
            Assert.Contains(expected, ids);
        }

        var texts = new List<string>();
        foreach (CapturedLogEvent e in events)
        {
            texts.Add(e.Message);
            texts.AddRange(e.Values.Select(v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
            if (e.Exception is not null)
            {
                texts.Add(e.Exception.ToString());
            }
        }

        foreach (SyncErrorEntry error in (await store.LoadAsync()).RecentErrors)
        {
            texts.Add(error.Message);
        }

        foreach (byte[] secret in secrets)
        {
            string[] forms = [Convert.ToHexStringLower(secret), Convert.ToHexString(secret), Convert.ToBase64String(secret), Convert.ToBase64String(secret).TrimEnd('=')];
            foreach (string text in texts)
            {
                foreach (string form in forms)
                {
                    Assert.DoesNotContain(form, text, StringComparison.Ordinal);
                }
            }
        }

        // The scan itself can fail: the secrets do appear in the outbox records.
        string records = string.Concat(outbox.Segments().Select(File.ReadAllText));
        Assert.Contains(Convert.ToHexStringLower(users.First(u => u.SamAccountName == "bob").NtHash.Span), records, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Records every digest hash, salt, NT hash and key it is given, fails on demand, then delegates.</summary>
    private sealed class SecretCollectingExporter(IPasswordHashExporter inner, List<byte[]> secrets) : IPasswordHashExporter
    {
        public bool ThrowOnNextBatch { get; set; }

        public bool RejectFirstUser { get; set; }

        public int Collected { get; private set; }

        public async ValueTask<IReadOnlyList<SyncExportResult>> ExportAsync(IReadOnlyList<SyncDecision> batch, CancellationToken cancellationToken)
        {
            foreach (SyncDecision d in batch)
            {
                secrets.Add(d.CloudRecord!.Digest.Hash.ToArray());
                secrets.Add(d.CloudRecord.Digest.Salt.ToArray());
                if (d.ManagedDomainRecord is ManagedDomainRecord md)
                {
                    secrets.Add(md.NtHash.ToArray());
                    secrets.AddRange(md.KerberosKeys.Select((KerberosKey k) => k.Key.ToArray()));
                }

                Collected++;
            }

            if (ThrowOnNextBatch)
            {
                ThrowOnNextBatch = false;
                throw new InvalidOperationException("the target is down");
            }

            List<SyncExportResult> results = [.. await inner.ExportAsync(batch, cancellationToken)];
            if (RejectFirstUser)
            {
                RejectFirstUser = false;
                results[0] = SyncExportResult.Failure(results[0].SourceAnchor, "RetryRequestedByTarget");
            }

            return results;
        }

        public ValueTask SendHeartbeatAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.SendHeartbeatAsync(now, cancellationToken);
    }

    [Fact]
    public void Scan_WouldCatchAHexNtHash()
    {
        // Guard against a vacuous scan: the forms the test looks for are the forms a leak would take.
        byte[] nt = ReferenceNtHash("Pa$$w0rd");
        string leaked = "user x: " + Convert.ToHexStringLower(nt);
        Assert.Contains("92937945b518814341de3f726500d4ff", leaked, StringComparison.Ordinal);
        Assert.Equal("92937945b518814341de3f726500d4ff", Encoding.ASCII.GetString(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(nt))));
    }
}
