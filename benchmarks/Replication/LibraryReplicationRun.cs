using System.Diagnostics;
using System.Globalization;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Ntlm;

namespace PasswordHashSync.Benchmarks.Replication;

/// <summary>
/// The library side of the replication benchmark, run in its own process so that its peak RSS is the library's alone
/// (<c>replication-client DC DNS-DOMAIN NETBIOS-DOMAIN USER MAX-OBJECTS MAX-BYTES [CYCLES]</c>, password on standard input): connects with
/// <see cref="DrsReplicationClient"/>, replicates the whole domain NC with secrets chunk by chunk, hands each account on
/// (reads its NT hash and its <see cref="PasswordHashSync.Directory.DirectoryUser"/>) and disposes each chunk before the
/// next is fetched, so nothing of the domain is held. Prints one <c>key=value</c> line.
/// </summary>
internal static class LibraryReplicationRun
{
    public static async Task RunAsync(string[] args)
    {
        string dc = args[0];
        string dnsDomain = args[1];
        string netBiosDomain = args[2];
        string user = args[3];
        int maxObjects = int.Parse(args[4], CultureInfo.InvariantCulture);
        int maxBytes = int.Parse(args[5], CultureInfo.InvariantCulture);

        // Optional: replicate the whole domain this many times on one connection (an agent's repeated full syncs; and
        // more chunks than the DC's size alone gives, to show what memory does with the number of chunks).
        int cycles = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 1;
        string password = Console.In.ReadLine() ?? throw new InvalidOperationException("No password on standard input.");

        var options = new DrsReplicationOptions
        {
            DomainController = dc,
            DnsDomain = dnsDomain,
            MaxObjectsPerChunk = maxObjects,
            MaxBytesPerChunk = maxBytes,
            CallTimeout = TimeSpan.FromMinutes(10),
        };
        using var credential = new NtlmCredential(user, netBiosDomain, password);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var total = Stopwatch.StartNew();
        await using DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(options, credential).ConfigureAwait(false);
        TimeSpan connect = total.Elapsed;

        int chunks = 0, objects = 0, accounts = 0, withNtHash = 0, withKerberos = 0, largestChunk = 0;
        ulong checksum = 0;
        var withoutNtHash = new List<string>();
        var consumer = new Stopwatch();
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            await foreach (ReplicationChunk chunk in client.ReplicateAsync().ConfigureAwait(false))
            {
                consumer.Start();
                using (chunk)
                {
                    chunks++;
                    objects += chunk.ObjectCount;
                    largestChunk = Math.Max(largestChunk, chunk.ObjectCount);
                    foreach (ReplicatedAccount account in chunk.Accounts)
                    {
                        // What a sync pipeline does with an account: take its NT hash and its directory view.
                        accounts++;
                        if (account.NtHash.Length == 16)
                        {
                            withNtHash++;
                            checksum ^= BitConverter.ToUInt64(account.NtHash.Span);
                        }
                        else if (cycle == 0)
                        {
                            withoutNtHash.Add(account.SamAccountName ?? "?");
                        }

                        if (!account.SupplementalCredentials.IsEmpty)
                        {
                            withKerberos++;
                        }

                        checksum += (ulong)(account.User.SamAccountName?.Length ?? 0);
                    }
                }

                consumer.Stop();
            }
        }

        total.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TimeSpan replicate = total.Elapsed - connect;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"library cycles={cycles} seconds={total.Elapsed.TotalSeconds:F2} connect_s={connect.TotalSeconds:F2} replicate_s={replicate.TotalSeconds:F2} consumer_s={consumer.Elapsed.TotalSeconds:F2} " +
            $"chunks={chunks} largest_chunk={largestChunk} objects={objects} accounts={accounts} with_nt_hash={withNtHash} with_supplemental_credentials={withKerberos} without_nt_hash=[{string.Join(',', withoutNtHash)}] " +
            $"users_with_secrets_per_s={withNtHash / total.Elapsed.TotalSeconds:F0} " +
            $"allocated_MiB={allocated / 1048576.0:F1} allocated_per_object_B={allocated / Math.Max(1, objects)} gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} checksum={checksum:x16} " +
            $"{MemoryProbe.Snapshot(collect: true)} {MemoryProbe.GcMode()}"));
    }

    /// <summary>VmHWM of a process (its peak resident set), from /proc.</summary>
    public static double PeakRssMiB(int processId) => StatusMiB(processId, "VmHWM:");

    /// <summary>A kB field of /proc/PID/status (VmHWM:, VmRSS:) in MiB.</summary>
    public static double StatusMiB(int processId, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }
}
