using System.Diagnostics;
using System.Globalization;
using System.Net;
using PasswordHashSync.IntegrationTests.Samba;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.Benchmarks.Replication;

/// <summary>
/// A Samba AD DC for the replication benchmark: the integration tests' <see cref="SambaDomainController"/> (one
/// provisioning for both, compiled in from tests/IntegrationTests/Samba, see the project file) on an address of a /16
/// loopback block (127.22.0.0/16 unless <c>--address-block</c> names another; apart from the tests' random 127.x.y.z),
/// filled with benchmark users by <c>add-bench-users.py</c>, stopped by its process id and removed on dispose.
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
    private readonly SambaDomainController _dc;

    /// <param name="block">The first two octets of the /16 loopback block to bind in, for example <c>127.22</c>.</param>
    public BenchmarkDomainController(string block = "127.22")
    {
        _dc = new SambaDomainController(new SambaDomainOptions
        {
            Realm = Realm,
            NetBiosDomain = NetBiosDomain,
            HostName = "benchdc",
            AdministratorPassword = AdministratorPassword,
            FolderPrefix = "phs-bench-dc-",
            Address = AllocateAddress(block, SambaDomainController.ServicePorts),
        });
        try
        {
            _dc.Start(SambaDomainController.ServicePorts);
        }
        catch
        {
            _dc.Dispose();
            throw;
        }
    }

    public IPAddress Address => _dc.Address;

    public string Folder => _dc.Folder;

    public string SambaTool => _dc.SambaTool;

    public string SmbConf => _dc.SmbConf;

    /// <summary>The samba process id (its peak RSS is read from /proc).</summary>
    public int SambaProcessId => _dc.ProcessId;

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

    public void Dispose() => _dc.Dispose();

    public static string Require(string tool) =>
        ExternalTool.Find(tool) ?? throw new InvalidOperationException($"'{tool}' was not found; install it with scripts/install-test-deps.sh.");

    public static string Run(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        SambaDomainController.RunOrThrow(tool, arguments, environment, s_toolTimeout);

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
}
