using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.Benchmarks.Replication;

/// <summary>
/// A Samba AD DC for the replication benchmark: provisioned in a temporary folder on an address of a /16 loopback block
/// (127.22.0.0/16 unless <c>--address-block</c> names another; apart from the tests' random 127.x.y.z), filled with benchmark users
/// by <c>add-bench-users.py</c>, started with <c>samba -i -M single</c> and stopped by its process id on dispose.
/// </summary>
/// <remarks>
/// Smaller than the integration tests' <c>ReplicationDomainController</c> on purpose: no test accounts, no rights
/// edits; the benchmark replicates as Administrator, who holds both replication rights on every NC (samba-tool's clone
/// needs the schema and configuration NCs too).
/// </remarks>
internal sealed class BenchmarkDomainController : IDisposable
{
    public const string Realm = "BENCH.EXAMPLE.TEST";
    public const string DnsDomain = "bench.example.test";
    public const string NetBiosDomain = "BENCH";
    public const string DomainDn = "DC=bench,DC=example,DC=test";
    public const string AdministratorName = "Administrator";

    // A benchmark-only password on a throw-away loopback DC, never a real secret.
    public const string AdministratorPassword = "Adm1n-Bench-Dc!";

    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromMinutes(30);
    private readonly Process _samba;

    /// <param name="block">The first two octets of the /16 loopback block to bind in, for example <c>127.22</c>.</param>
    public BenchmarkDomainController(string block = "127.22")
    {
        SambaTool = Require("samba-tool");
        Address = AllocateAddress(block, 88, 135, 389, 445);
        Folder = System.IO.Directory.CreateTempSubdirectory("phs-bench-dc-").FullName;
        Run(SambaTool,
        [
            "domain", "provision", "--realm=" + Realm, "--domain=" + NetBiosDomain, "--server-role=dc",
            "--dns-backend=NONE", "--host-name=benchdc", "--adminpass=" + AdministratorPassword,
            "--targetdir=" + Path.Combine(Folder, "dc"),
            "--option=interfaces=" + LoopbackAddress.SambaInterfaces(Address), "--option=bind interfaces only=yes",
            "--option=log file=" + Path.Combine(Folder, "log.%m"),

            // Samba's pid file defaults to /run/samba/samba.pid, which another DC on the host may hold.
            "--option=pid directory=" + Path.Combine(Folder, "run"),
        ]);

        var startInfo = new ProcessStartInfo(Require("samba")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-i", "-M", "single", "-s", SmbConf })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _samba = Process.Start(startInfo) ?? throw new InvalidOperationException("samba did not start.");
        _samba.OutputDataReceived += (_, _) => { };
        _samba.ErrorDataReceived += (_, _) => { };
        _samba.BeginOutputReadLine();
        _samba.BeginErrorReadLine();
        WaitUntilListening(88, 135, 389, 445);
    }

    public IPAddress Address { get; }

    public string Folder { get; }

    public string SambaTool { get; }

    public string SmbConf => Path.Combine(Folder, "dc", "etc", "smb.conf");

    /// <summary>The samba process id (its peak RSS is read from /proc).</summary>
    public int SambaProcessId => _samba.Id;

    /// <summary>How many benchmark users exist so far.</summary>
    public int BenchmarkUsers { get; private set; }

    /// <summary>Adds benchmark users up to <paramref name="total"/> in one ldb transaction.</summary>
    public TimeSpan AddUsersUpTo(int total)
    {
        if (total <= BenchmarkUsers)
        {
            return TimeSpan.Zero;
        }

        string script = Path.Combine(AppContext.BaseDirectory, "Replication", "add-bench-users.py");
        var watch = Stopwatch.StartNew();

        // The system python has the samba module (python3-samba); a pyenv python first on PATH does not.
        Run("/usr/bin/python3",
        [
            script, SmbConf, BenchmarkUsers.ToString(CultureInfo.InvariantCulture),
            (total - BenchmarkUsers).ToString(CultureInfo.InvariantCulture), DnsDomain,
        ]);
        BenchmarkUsers = total;
        return watch.Elapsed;
    }

    public void Dispose()
    {
        try
        {
            if (!_samba.HasExited)
            {
                _samba.Kill(entireProcessTree: true);
                _samba.WaitForExit(10_000);
            }
        }
        finally
        {
            _samba.Dispose();
            try
            {
                System.IO.Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    public static string Require(string tool) =>
        ExternalTool.Find(tool) ?? throw new InvalidOperationException($"'{tool}' was not found; install it with scripts/install-test-deps.sh.");

    public static string Run(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ExternalTool.Result result = ExternalTool.Run(tool, arguments, timeout: s_toolTimeout, environment: environment);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', arguments.Take(3))} failed ({result.ExitCode}):\n{result.StandardError}\n{result.StandardOutput}");
        }

        return result.StandardOutput;
    }

    private static IPAddress AllocateAddress(string block, params int[] ports)
    {
        string[] octets = block.Split('.');
        if (octets.Length != 2 || octets[0] != "127" || !byte.TryParse(octets[1], CultureInfo.InvariantCulture, out byte second))
        {
            throw new ArgumentException($"--address-block must be 127.N (a /16 of the loopback range), not '{block}'.", nameof(block));
        }

        for (int attempt = 0; attempt < 64; attempt++)
        {
            var address = new IPAddress([127, second, (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
            if (ports.All(port => LoopbackAddress.IsFree(address, port)))
            {
                return address;
            }
        }

        throw new InvalidOperationException($"No free address in {block}.0.0/16 was found in 64 tries.");
    }

    private void WaitUntilListening(params int[] ports)
    {
        var watch = Stopwatch.StartNew();
        foreach (int port in ports)
        {
            while (!IsListening(port))
            {
                if (_samba.HasExited)
                {
                    throw new InvalidOperationException($"samba exited with code {_samba.ExitCode}; see {Folder}/log.samba.");
                }

                if (watch.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new TimeoutException($"samba did not listen on {Address}:{port} within 120 s.");
                }

                Thread.Sleep(100);
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
