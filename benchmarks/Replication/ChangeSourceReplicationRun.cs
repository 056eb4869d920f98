using System.Diagnostics;
using System.Globalization;
using PasswordHashSync.Directory;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Ntlm;

namespace PasswordHashSync.Benchmarks.Replication;

/// <summary>
/// The agent's path of the replication benchmark (<c>replication-source DC DNS-DOMAIN NETBIOS-DOMAIN USER MAX-OBJECTS
/// MAX-BYTES [BATCH]</c>, password on standard input): a full sync through <see cref="DrsDirectoryChangeSource.GetAllUsersAsync"/>
/// consumed as <c>PasswordSyncRunner</c> does, in batches of 50 (or BATCH) users, each batch read and then handed back with
/// <see cref="DrsDirectoryChangeSource.ReleaseUsers"/> (which zeroes its secrets). Prints one <c>key=value</c> line,
/// with how many users were still held (not released) at the end and the heap after a full GC, so retention shows.
/// </summary>
internal static class ChangeSourceReplicationRun
{
    public static async Task RunAsync(string[] args)
    {
        int batchSize = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 50;
        string password = Console.In.ReadLine() ?? throw new InvalidOperationException("No password on standard input.");
        var options = new DrsReplicationOptions
        {
            DomainController = args[0],
            DnsDomain = args[1],
            MaxObjectsPerChunk = int.Parse(args[4], CultureInfo.InvariantCulture),
            MaxBytesPerChunk = int.Parse(args[5], CultureInfo.InvariantCulture),
            CallTimeout = TimeSpan.FromMinutes(10),
        };
        using var credential = new NtlmCredential(args[3], args[2], password);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var total = Stopwatch.StartNew();
        await using var source = new DrsDirectoryChangeSource(options, credential);
        var batch = new List<DirectoryUser>(batchSize);
        int users = 0, withNtHash = 0, zeroedAfterRelease = 0;
        ulong checksum = 0;
        await foreach (DirectoryUser user in source.GetAllUsersAsync(CancellationToken.None).ConfigureAwait(false))
        {
            users++;
            batch.Add(user);
            if (batch.Count == batchSize)
            {
                Consume(batch, ref withNtHash, ref checksum);
                zeroedAfterRelease += Release(source, batch);
            }
        }

        Consume(batch, ref withNtHash, ref checksum);
        zeroedAfterRelease += Release(source, batch);
        total.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"source seconds={total.Elapsed.TotalSeconds:F2} users={users} with_nt_hash={withNtHash} zeroed_after_release={zeroedAfterRelease} " +
            $"held_at_end={source.OutstandingUsers} batch={batchSize} users_with_secrets_per_s={withNtHash / total.Elapsed.TotalSeconds:F0} " +
            $"allocated_MiB={allocated / 1048576.0:F1} gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} checksum={checksum:x16} " +
            $"{MemoryProbe.Snapshot(collect: true)} {MemoryProbe.GcMode()}"));
    }

    // What the runner's planner reads of each user: the NT hash (the checksum shows the same hashes as replication-client).
    private static void Consume(List<DirectoryUser> batch, ref int withNtHash, ref ulong checksum)
    {
        foreach (DirectoryUser user in batch)
        {
            if (user.NtHash.Length == 16)
            {
                withNtHash++;
                checksum ^= BitConverter.ToUInt64(user.NtHash.Span);
            }

            checksum += (ulong)(user.SamAccountName?.Length ?? 0);
        }
    }

    // Hands the batch back and counts the users whose NT hash reads as zeros afterwards (all of them with a hash).
    private static int Release(DrsDirectoryChangeSource source, List<DirectoryUser> batch)
    {
        source.ReleaseUsers(batch);
        int zeroed = batch.Count(u => u.NtHash.Length == 16 && !u.NtHash.Span.ContainsAnyExcept((byte)0));
        batch.Clear();
        return zeroed;
    }
}
