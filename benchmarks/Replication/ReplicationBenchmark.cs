using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PasswordHashSync.Benchmarks.Replication;

/// <summary>
/// The replication benchmark (<c>replication [--users 1000,10000] [--repeat N] [--max-objects N] [--max-bytes N]
/// [--chunk-trials 2000,5000] [--byte-trials 65536] [--breakdown] [--address-block 127.22]</c>): one loopback Samba DC (<see cref="BenchmarkDomainController"/>) grown to each
/// user count in turn; at each count the library (<see cref="LibraryReplicationRun"/>, own process) and Samba's own
/// client (<c>samba-tool drs clone-dc-database --include-secrets</c>) replicate the same DC, one after the other.
/// Run by hand, never from CI: it provisions a DC and writes thousands of users (about 20 ms each).
/// </summary>
internal static partial class ReplicationBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        int[] sizes = IntList(Option(args, "--users") ?? "1000,10000");
        int repeat = int.Parse(Option(args, "--repeat") ?? "1", CultureInfo.InvariantCulture);
        int maxObjects = int.Parse(Option(args, "--max-objects") ?? "1000", CultureInfo.InvariantCulture);
        int maxBytes = int.Parse(Option(args, "--max-bytes") ?? (8 * 1024 * 1024).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int[] chunkTrials = IntList(Option(args, "--chunk-trials") ?? string.Empty);
        int[] byteTrials = IntList(Option(args, "--byte-trials") ?? string.Empty);
        bool breakdown = args.Contains("--breakdown");
        string block = Option(args, "--address-block") ?? "127.22";
        Array.Sort(sizes);

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, load {File.ReadAllText("/proc/loadavg").Trim()}");
        var watch = Stopwatch.StartNew();
        using var dc = new BenchmarkDomainController(block);
        Console.WriteLine($"dc: {dc.Address} provisioned and started in {watch.Elapsed.TotalSeconds:F1} s ({dc.Folder})");
        foreach (int size in sizes)
        {
            TimeSpan added = dc.AddUsersUpTo(size);
            Console.WriteLine($"users: {size} benchmark users ({added.TotalSeconds:F1} s to add); DC holds {CountOnDc(dc)}");
            for (int run = 0; run < repeat; run++)
            {
                Console.WriteLine($"  [{size}] {await RunLibraryAsync(dc, maxObjects, maxBytes).ConfigureAwait(false)}");
                Console.WriteLine($"  [{size}] {RunSambaToolClone(dc)}");
            }

            if (breakdown)
            {
                Console.WriteLine($"  [{size}] {await RunLibraryAsync(dc, maxObjects, maxBytes, "replication-breakdown").ConfigureAwait(false)}");
                Console.WriteLine($"  [{size}, memory per chunk] {await RunLibraryAsync(dc, maxObjects, maxBytes, "replication-breakdown", "memory").ConfigureAwait(false)}");
            }
        }

        foreach (int trial in chunkTrials)
        {
            Console.WriteLine($"  [{dc.BenchmarkUsers}, max-objects {trial}] {await RunLibraryAsync(dc, trial, maxBytes).ConfigureAwait(false)}");
        }

        foreach (int trial in byteTrials)
        {
            Console.WriteLine($"  [{dc.BenchmarkUsers}, max-bytes {trial}] {await RunLibraryAsync(dc, maxObjects, trial).ConfigureAwait(false)}");
        }

        Console.WriteLine($"samba peak_rss_MiB={LibraryReplicationRun.PeakRssMiB(dc.SambaProcessId):F1} (the DC, whole run); load {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static async Task<string> RunLibraryAsync(BenchmarkDomainController dc, int maxObjects, int maxBytes, string mode = "replication-client", string? extra = null)
    {
        // The same executable in client mode, so the peak RSS it reports is the library run's alone.
        var startInfo = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("No process path."))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
        {
            mode, dc.Address.ToString(), BenchmarkDomainController.DnsDomain, BenchmarkDomainController.NetBiosDomain,
            BenchmarkDomainController.AdministratorName, maxObjects.ToString(CultureInfo.InvariantCulture), maxBytes.ToString(CultureInfo.InvariantCulture),
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (extra is not null)
        {
            startInfo.ArgumentList.Add(extra);
        }

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException("The client did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteLineAsync(BenchmarkDomainController.AdministratorPassword).ConfigureAwait(false);
        process.StandardInput.Close();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode == 0
            ? (await stdout.ConfigureAwait(false)).Trim()
            : $"library FAILED ({process.ExitCode}): {await stderr.ConfigureAwait(false)}";
    }

    private static string RunSambaToolClone(BenchmarkDomainController dc)
    {
        string target = Path.Combine(dc.Folder, "clone-" + Guid.NewGuid().ToString("N"));
        string timeFile = Path.Combine(dc.Folder, "clone-peak-rss.txt");
        string[] clone =
        [
            dc.SambaTool, "drs", "clone-dc-database", BenchmarkDomainController.Realm, "--server=" + dc.Address, "--targetdir=" + target,
            "--include-secrets", "--use-kerberos=off", "-U", BenchmarkDomainController.NetBiosDomain + "\\" + BenchmarkDomainController.AdministratorName,
        ];

        // Peak RSS through peak-rss.py (getrusage of its one child), so no GNU time (Debian package "time") is needed.
        string wrapper = Path.Combine(AppContext.BaseDirectory, "Replication", "peak-rss.py");
        var watch = Stopwatch.StartNew();
        BenchmarkDomainController.Run(
            "/usr/bin/python3",
            [wrapper, timeFile, .. clone],
            new Dictionary<string, string> { ["PASSWD"] = BenchmarkDomainController.AdministratorPassword });
        watch.Stop();
        string peak = (double.Parse(File.ReadAllText(timeFile).Trim(), CultureInfo.InvariantCulture) / 1024.0).ToString("F1", CultureInfo.InvariantCulture);
        string samLdb = Path.Combine(target, "private", "sam.ldb");
        int withSecrets = Count(samLdb, BenchmarkDomainController.DomainDn, "(unicodePwd=*)");
        string result = string.Create(CultureInfo.InvariantCulture,
            $"samba-tool seconds={watch.Elapsed.TotalSeconds:F2} domain_objects={Count(samLdb, BenchmarkDomainController.DomainDn, "(objectClass=*)")} " +
            $"configuration_objects={Count(samLdb, "CN=Configuration," + BenchmarkDomainController.DomainDn, "(objectClass=*)")} " +
            $"schema_objects={Count(samLdb, "CN=Schema,CN=Configuration," + BenchmarkDomainController.DomainDn, "(objectClass=*)")} " +
            $"with_nt_hash={withSecrets} users_with_secrets_per_s={withSecrets / watch.Elapsed.TotalSeconds:F0} peak_rss_MiB={peak}");
        System.IO.Directory.Delete(target, recursive: true);
        return result;
    }

    private static string CountOnDc(BenchmarkDomainController dc)
    {
        string samLdb = Path.Combine(dc.Folder, "dc", "private", "sam.ldb");
        return string.Create(CultureInfo.InvariantCulture,
            $"{Count(samLdb, BenchmarkDomainController.DomainDn, "(objectClass=*)")} domain objects, {Count(samLdb, BenchmarkDomainController.DomainDn, "(unicodePwd=*)")} with an NT hash");
    }

    // ldbsearch ends with "# returned N records" (entries plus referrals) and "# N entries" (the objects alone).
    private static int Count(string samLdb, string baseDn, string filter)
    {
        string output = BenchmarkDomainController.Run(BenchmarkDomainController.Require("ldbsearch"), ["-H", samLdb, "-b", baseDn, filter, "dn"]);
        Match match = ReturnedRecords().Match(output);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int[] IntList(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(part => int.Parse(part, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"# (\d+) entries")]
    private static partial Regex ReturnedRecords();
}
