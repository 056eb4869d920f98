using System.Diagnostics;
using System.Globalization;
using PasswordHashSync.Directory;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// <c>sync-stages LDIF [repeat]</c>: the CPU cost per user of each stage of <c>pwsync sync</c>'s full sync, each run
/// alone on one thread over the same file (process CPU time, so a loaded machine changes the figures less than wall
/// time; and the bytes allocated per user): read the bytes, split lines, the key-only scan of pass 1, the full reader (parse + base64 + map), the
/// supplementalCredentials parse, and the block planner with <c>digestIterationCount: 1</c> (digests included).
/// Each stage's figure includes the ones before it where it needs them; the differences are what a stage adds.
/// </summary>
internal static class SyncStageBreakdown
{
    public static void Run(string[] args)
    {
        string path = args[0];
        int repeat = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        for (int r = 0; r < repeat; r++)
        {
            Stage("read bytes (FileStream, 32 KiB)", path, ReadBytes);
            Stage("lines (LdifByteLineReader: UTF-8 check, split)", path, Lines);
            Stage("identity scan (pass 1, ReadIdentities)", path, KeyScan);
            Stage("full reader (parse+base64+map)", path, p => LdifDirectoryReader.ReadFile(p).Count());
            Stage("reader + supplementalCredentials parse", path, ReadAndParseBlobs);
            Stage("reader + PlanBlock + ComputeDigests (it 1, managed)", path, ReadAndPlan);
        }
    }

    private static void Stage(string name, string path, Func<string, long> body)
    {
        GC.Collect();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long users = body(path);
        wall.Stop();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
        double bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Math.Max(users, 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-55} {users,9} users  cpu {cpu,7:F2} s  wall {wall.Elapsed.TotalSeconds,7:F2} s  {cpu * 1e6 / Math.Max(users, 1),7:F1} us/user  {bytes,7:F0} B/user"));
    }

    private static long ReadBytes(string path)
    {
        using var stream = new FileStream(path, new FileStreamOptions { BufferSize = 0 });
        byte[] buffer = new byte[32 * 1024];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            total += read;
        }

        return total / 3300;
    }

    private static long Lines(string path)
    {
        using var stream = new FileStream(path, new FileStreamOptions { BufferSize = 0 });
        var lines = new LdifByteLineReader(stream, LdifReaderOptions.DefaultMaxLineLength);
        long records = 0;
        while (lines.ReadLine())
        {
            if (lines.Line.IsEmpty)
            {
                records++;
            }
        }

        return records;
    }

    private static long KeyScan(string path)
    {
        long count = 0;
        ulong fold = 0;
        foreach (LdifObjectIdentity id in LdifDirectoryReader.ReadIdentitiesFromFile(path))
        {
            fold ^= (ulong)id.DistinguishedName.Length ^ (id.ObjectGuid is { } g ? (ulong)g.GetHashCode() : 0);
            count++;
        }

        GC.KeepAlive(fold);
        return count;
    }

    private static long ReadAndParseBlobs(string path)
    {
        long users = 0;
        foreach (DirectoryUser user in LdifDirectoryReader.ReadFile(path))
        {
            users++;
            if (!user.SupplementalCredentials.IsEmpty)
            {
                foreach (var key in SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(user.SupplementalCredentials))
                {
                    key.Dispose();
                }
            }
        }

        return users;
    }

    private static long ReadAndPlan(string path)
    {
        var settings = new PasswordHashSyncSettings { ManagedDomainEnabled = true, DigestIterationCount = 1 };
        var planner = new SyncPlanner();
        var block = new List<DirectoryUser>(1024);
        long users = 0;
        foreach (DirectoryUser user in LdifDirectoryReader.ReadFile(path))
        {
            block.Add(user);
            users++;
            if (block.Count == 1024)
            {
                Plan(planner, block, settings);
            }
        }

        Plan(planner, block, settings);
        return users;
    }

    private static void Plan(SyncPlanner planner, List<DirectoryUser> block, PasswordHashSyncSettings settings)
    {
        if (block.Count == 0)
        {
            return;
        }

        using SyncPlan plan = planner.PlanBlock(block, settings);
        plan.ComputeDigests(maxDegreeOfParallelism: 1);
        GC.KeepAlive(plan.Decisions);
        block.Clear();
    }
}
