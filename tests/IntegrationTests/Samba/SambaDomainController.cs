using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Samba;

/// <summary>
/// One throwaway Samba AD DC, the part every Samba fixture shares: provisioned with samba-tool into its own temporary
/// folder, bound to its own random loopback address (<see cref="LoopbackAddress"/>: interfaces=127.x.y.z/8, bind
/// interfaces only), with its own pid directory, then started as <c>samba -i -M single</c> and stopped by its process
/// id (with its smbd and winbindd children) on dispose. A fixture provisions, edits the database offline if it needs
/// to (the DC is not running yet, so no lock is contended), then calls <see cref="Start"/>.
/// </summary>
/// <remarks>
/// Also the replication benchmark's DC (benchmarks/Replication/BenchmarkDomainController.cs): the benchmarks compile
/// this file, <see cref="SambaDomainOptions"/>, TestSupport's ExternalTool.cs and LoopbackAddress.cs in (linked, see
/// PasswordHashSync.Benchmarks.csproj), so it must not use xunit or anything else of the test assemblies.
/// </remarks>
public sealed class SambaDomainController : IDisposable
{
    /// <summary>The ports every DC serves: Kerberos, the RPC endpoint mapper and LDAP.</summary>
    public static readonly int[] ServicePorts = [88, 135, 389];

    /// <summary>The SMB port, served only with <see cref="SambaDomainOptions.ServesSmb"/>.</summary>
    public const int SmbPort = 445;

    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(120);
    // Provisioning is seconds of CPU, but minutes of wall time on a loaded 2-core host (1 min measured at load 5 here):
    // the limit catches a hang, not a slow machine.
    private static readonly TimeSpan s_provisionTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);

    private const int MaxLogLines = 50_000;

    private readonly string _samba;
    private readonly Queue<string> _log = new();
    private long _logWritten;
    private Process? _process;

    /// <summary>Provisions the domain (samba-tool takes seconds); the DC is not started.</summary>
    /// <param name="options">The domain and its smb.conf choices.</param>
    public SambaDomainController(SambaDomainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        SambaTool = Require("samba-tool");
        _samba = Require("samba");
        Address = options.Address ?? LoopbackAddress.Allocate([.. ServicePorts, SmbPort]);
        Folder = System.IO.Directory.CreateTempSubdirectory(options.FolderPrefix).FullName;
        if (options.SharesReadByDomainUsers && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        // Samba's pid file defaults to /run/samba/samba.pid: a second DC on the host (another fixture or test run)
        // would see it and exit with "samba is already running".
        string pidDirectory = Path.Combine(Folder, "pid");
        System.IO.Directory.CreateDirectory(pidDirectory);
        List<string> provision =
        [
            "domain", "provision", "--realm=" + options.Realm, "--domain=" + options.NetBiosDomain, "--server-role=dc",
            "--dns-backend=NONE", "--host-name=" + options.HostName, "--adminpass=" + options.AdministratorPassword,
            "--targetdir=" + Path.Combine(Folder, "dc"),
            "--option=interfaces=" + LoopbackAddress.SambaInterfaces(Address), "--option=bind interfaces only=yes",
            "--option=pid directory=" + pidDirectory,
            "--option=log file=" + Path.Combine(Folder, "log.%m"),
        ];
        if (options.PlaintextSecrets)
        {
            provision.Add("--plaintext-secrets");
        }

        RunOrThrow(SambaTool, provision, timeout: s_provisionTimeout);
        if (options.ExtraGlobalOptions.Count > 0)
        {
            string global = "[global]" + string.Concat(options.ExtraGlobalOptions.Select(line => "\n\t" + line));
            File.WriteAllText(SmbConf, File.ReadAllText(SmbConf).Replace("[global]", global, StringComparison.Ordinal));
        }

        if (!options.ServesSmb)
        {
            WithoutSmbServices();
        }

        AddServicePrincipalNames();
    }

    /// <summary>The domain and its smb.conf choices.</summary>
    public SambaDomainOptions Options { get; }

    /// <summary>The DC's loopback address.</summary>
    public IPAddress Address { get; }

    /// <summary>The temporary folder holding the DC, its logs (log.samba and others) and the fixture's files; removed on dispose.</summary>
    public string Folder { get; }

    /// <summary>The DC's smb.conf.</summary>
    public string SmbConf => Path.Combine(Folder, "dc", "etc", "smb.conf");

    /// <summary>The DC's sam.ldb.</summary>
    public string SamLdb => Path.Combine(Folder, "dc", "private", "sam.ldb");

    /// <summary>The path of samba-tool.</summary>
    public string SambaTool { get; }

    /// <summary>The samba root process's id (its peak RSS is read from /proc by the benchmark).</summary>
    /// <exception cref="InvalidOperationException">The DC is not started.</exception>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The DC is not started.");

    /// <summary>Starts the DC and waits until it accepts connections on each of <paramref name="ports"/>.</summary>
    /// <param name="ports">The ports the fixture's tests use (a subset of <see cref="ServicePorts"/>).</param>
    public void Start(params int[] ports)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The DC is already started.");
        }

        var startInfo = new ProcessStartInfo(_samba) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-i", "-M", "single", "-s", SmbConf })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("samba did not start.");

        // Drained so that samba never blocks on a full pipe; kept (the last lines) when the tests read the log.
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            WaitUntilListening(_process, ports);
            if (Options.ServesSmb)
            {
                WaitUntilOwnWinbinddAnswers(_process);
            }
        }
        catch
        {
            // The fixture's constructor fails, so nobody will dispose it: stop samba now, keep the folder for its logs.
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            throw;
        }
    }

    /// <summary>How many lines samba has written to its log so far (with <see cref="SambaDomainOptions.CaptureLog"/>).</summary>
    public long LogPosition
    {
        get
        {
            lock (_log)
            {
                return _logWritten;
            }
        }
    }

    /// <summary>The lines samba wrote after <paramref name="position"/> (a <see cref="LogPosition"/>), as far as they are still kept.</summary>
    /// <param name="position">Where to start.</param>
    /// <returns>A copy, oldest first.</returns>
    public string[] LogSince(long position)
    {
        lock (_log)
        {
            return [.. _log.TakeLast((int)Math.Min(_log.Count, _logWritten - position))];
        }
    }

    private void Keep(string? line)
    {
        if (line is null || !Options.CaptureLog)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            _logWritten++;
            while (_log.Count > MaxLogLines)
            {
                _log.Dequeue();
            }
        }
    }

    /// <summary>Runs samba-tool against the DC's database file (works whether or not the DC runs).</summary>
    /// <param name="arguments">The sub-command and its arguments.</param>
    /// <returns>The standard output.</returns>
    public string SambaToolLocal(params string[] arguments) =>
        RunOrThrow(SambaTool, [.. arguments, "-H", SamLdb, "--configfile=" + SmbConf]);

    /// <summary>Runs a tool and fails loudly, with its output, when it exits with a code other than 0.</summary>
    /// <param name="tool">The tool's path.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="environment">Extra environment variables (for a password the command line must not show).</param>
    /// <param name="timeout">How long it may run; two minutes when null.</param>
    /// <returns>The standard output.</returns>
    public static string RunOrThrow(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        ExternalTool.Result result = ExternalTool.Run(tool, arguments, timeout: timeout ?? s_toolTimeout, environment: environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', arguments.Take(3))} failed ({result.ExitCode}):\n{result.StandardError}\n{result.StandardOutput}");
        }

        return result.StandardOutput;
    }

    /// <summary>Stops the DC (and its children) by process id and removes the folder.</summary>
    public void Dispose()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process?.Dispose();
            try
            {
                System.IO.Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; never fail a test run on cleanup.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    // smbd finds winbindd (for the SID to uid mapping of every SMB session setup) only at the compiled-in
    // /run/samba/winbindd/pipe: smb.conf's "winbindd socket directory" and WINBINDD_SOCKET_DIR do not move it [measured
    // with strace, Samba 4.17.12]. Every DC's winbindd takes that path at its start, so with two DCs alive (fixtures of
    // parallel test collections, or another test run on the host) the managed domain's smbd asked the other DC's
    // winbindd, and once that DC stopped, a dead socket: NT_STATUS_INTERNAL_ERROR at session setup [measured: a DC
    // started here with the path held by a stopped one]. Only the DC whose tests use SMB runs smbd and winbindd.
    private void WithoutSmbServices()
    {
        const string Key = "\tserver services = ";
        string[] lines = File.ReadAllLines(SmbConf);
        int index = Array.FindIndex(lines, line => line.StartsWith(Key, StringComparison.Ordinal));
        if (index < 0)
        {
            throw new InvalidOperationException($"samba-tool wrote no 'server services' line to {SmbConf}.");
        }

        string[] services = lines[index][Key.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        lines[index] = Key + string.Join(", ", services.Where(service => service is not ("s3fs" or "winbindd")));
        File.WriteAllLines(SmbConf, lines);
    }

    // SMB sessions work only once winbindd answers on the pipe smbd uses (it starts seconds after smbd listens on 445
    // [measured]); and the winbindd that answers must be this DC's, not one another DC left behind.
    private void WaitUntilOwnWinbinddAnswers(Process samba)
    {
        string wbinfo = Require("wbinfo", "winbind");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ExternalTool.Result domain = ExternalTool.Run(wbinfo, ["--own-domain"], timeout: s_toolTimeout);
            if (domain.ExitCode == 0 && domain.StandardOutput.Trim() == Options.NetBiosDomain)
            {
                return;
            }

            if (samba.HasExited)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"samba exited with code {samba.ExitCode} before its winbindd answered; see {Folder}/log.winbindd."));
            }

            if (clock.Elapsed > s_startTimeout)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"the winbindd at /run/samba/winbindd/pipe did not answer for {Options.NetBiosDomain} within {s_startTimeout.TotalSeconds} s (wbinfo: {domain.StandardOutput.Trim()} {domain.StandardError.Trim()})."));
            }

            Thread.Sleep(200);
        }
    }

    // samba_spnupdate gives the DC account its ldap/, GC/, RestrictedKrbHost/ and DRS (E3514235-...) SPNs; provisioning
    // leaves only HOST/ ones. The DC runs it itself only in the background after the start (killed after 20 s, then
    // again every 10 minutes: source4/dsdb/dns/dns_update.c), so a first TGS-REQ for ldap/ could fall back to host/ and
    // a later one get ldap/ [measured, CI stop 18]. Run here, on the database before the start (it edits sam.ldb
    // locally, one modify), the DC starts with every SPN it will ever have and its own run finds nothing to add.
    private void AddServicePrincipalNames() =>
        RunOrThrow(Require("samba_spnupdate"), ["--configfile=" + SmbConf]);

    // A missing Samba fails the fixture (or the benchmark) with the install hint; no xunit type, so the file links anywhere.
    private static string Require(string tool, string debianPackage = "samba") =>
        ExternalTool.Find(tool) ?? throw new InvalidOperationException(
            $"Required tool '{tool}' was not found. Install it with 'apt-get install -y {debianPackage}' or scripts/install-test-deps.sh.");

    private void WaitUntilListening(Process samba, int[] ports)
    {
        var clock = Stopwatch.StartNew();
        foreach (int port in ports)
        {
            while (!IsListening(port))
            {
                if (samba.HasExited)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"samba exited with code {samba.ExitCode} before listening on {Address}:{port}; see {Folder}/log.samba."));
                }

                if (clock.Elapsed > s_startTimeout)
                {
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"samba did not listen on {Address}:{port} within {s_startTimeout.TotalSeconds} s."));
                }

                Thread.Sleep(200);
            }
        }
    }

    private bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(new IPEndPoint(Address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
