using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// A throw-away MIT Kerberos realm (PHS.TEST) with its KDC (krb5kdc -n) on its own loopback address
/// (<see cref="LoopbackAddress"/>, 127.x.y.z per run) and port 88, configured by temporary krb5.conf and kdc.conf files
/// (kdc_listen / kdc_tcp_listen bind that address only). The KDC is stopped by its process id on dispose.
/// </summary>
public sealed class MitKdcRealm : IDisposable
{
    /// <summary>The realm name.</summary>
    public const string Realm = "PHS.TEST";

    private const string MasterPassword = "phs-master-key-for-tests";
    private const int KdcPort = 88;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _kdc;
    private readonly Dictionary<string, string> _environment;

    /// <summary>Creates the realm database and starts the KDC.</summary>
    public MitKdcRealm()
    {
        string kdb5Util = ExternalTool.Require("kdb5_util", "krb5-kdc");
        string krb5kdc = ExternalTool.Require("krb5kdc", "krb5-kdc");
        KadminLocal = ExternalTool.Require("kadmin.local", "krb5-admin-server");
        Kinit = ExternalTool.Require("kinit", "krb5-user");
        Klist = ExternalTool.Require("klist", "krb5-user");

        Directory = Path.Combine(Path.GetTempPath(), "phs-mitkdc-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        // Port 88 on an address of its own, probed free: a free ephemeral port looked up and released here could be
        // taken (by any process's outgoing UDP socket, bound to the wildcard address) before krb5kdc binds UDP and TCP on it.
        Address = LoopbackAddress.Allocate(KdcPort);
        Port = KdcPort;
        File.WriteAllText(Krb5Conf, $$"""
            [libdefaults]
              default_realm = {{Realm}}
              dns_lookup_kdc = false
              dns_lookup_realm = false
              rdns = false
              udp_preference_limit = 1
            [realms]
              {{Realm}} = {
                kdc = {{Address}}:{{Port}}
              }
            """);
        File.WriteAllText(KdcConf, $$"""
            [kdcdefaults]
              kdc_listen = {{Address}}:{{Port}}
              kdc_tcp_listen = {{Address}}:{{Port}}
            [realms]
              {{Realm}} = {
                database_name = {{Directory}}/principal
                key_stash_file = {{Directory}}/stash
                acl_file = {{Directory}}/kadm5.acl
                max_life = 1h
                master_key_type = aes256-cts-hmac-sha1-96
                supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha256-128:normal arcfour-hmac:normal
              }
            [logging]
              kdc = FILE:{{KdcLogPath}}
            """);
        _environment = new Dictionary<string, string>
        {
            ["KRB5_CONFIG"] = Krb5Conf,
            ["KRB5_KDC_PROFILE"] = KdcConf,
            ["KRB5CCNAME"] = "FILE:" + Path.Combine(Directory, "ccache-default"),
        };
        ExternalTool.Result created = ExternalTool.Run(kdb5Util, ["-P", MasterPassword, "-r", Realm, "create", "-s"], timeout: TimeSpan.FromSeconds(60), environment: _environment);
        if (created.ExitCode != 0)
        {
            throw new InvalidOperationException($"kdb5_util create failed: {created.StandardError}");
        }

        var startInfo = new ProcessStartInfo(krb5kdc) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add("-n");
        startInfo.ArgumentList.Add("-r");
        startInfo.ArgumentList.Add(Realm);
        foreach ((string key, string value) in _environment)
        {
            startInfo.Environment[key] = value;
        }
        _kdc = Process.Start(startInfo) ?? throw new InvalidOperationException("krb5kdc did not start.");
        _kdc.OutputDataReceived += (_, _) => { };
        _kdc.ErrorDataReceived += (_, _) => { };
        _kdc.BeginOutputReadLine();
        _kdc.BeginErrorReadLine();
        WaitUntilListening();
    }

    /// <summary>The temporary folder holding the configuration, database and log.</summary>
    public string Directory { get; }

    /// <summary>The loopback address the KDC listens on.</summary>
    public IPAddress Address { get; }

    /// <summary>The KDC port on <see cref="Address"/> (UDP and TCP).</summary>
    public int Port { get; }

    /// <summary>The client configuration file.</summary>
    public string Krb5Conf => Path.Combine(Directory, "krb5.conf");

    /// <summary>The KDC configuration file.</summary>
    public string KdcConf => Path.Combine(Directory, "kdc.conf");

    /// <summary>The KDC log (one line per AS exchange, with the reply key's etype).</summary>
    public string KdcLogPath => Path.Combine(Directory, "kdc.log");

    /// <summary>The path of kadmin.local.</summary>
    public string KadminLocal { get; }

    /// <summary>The path of kinit.</summary>
    public string Kinit { get; }

    /// <summary>The path of klist.</summary>
    public string Klist { get; }

    /// <summary>The environment every MIT tool of this realm runs with.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>Creates a principal with a password (salt type normal: realm followed by the name components).</summary>
    /// <param name="principal">The principal name without realm, for example alice or HTTP/web.phs.test.</param>
    /// <param name="password">Its password.</param>
    /// <param name="keySalts">The enctype:salt list for the keys (kadmin -e), or <see langword="null"/> for the realm's supported_enctypes.</param>
    public void AddPrincipal(string principal, string password, string? keySalts = null)
    {
        string enctypes = keySalts is null ? string.Empty : $"-e \"{keySalts}\" ";
        ExternalTool.Result result = ExternalTool.Run(KadminLocal, ["-r", Realm, "-q", $"addprinc +requires_preauth {enctypes}-pw \"{password}\" {principal}"], environment: _environment);
        if (result.ExitCode != 0 || !result.StandardOutput.Contains("created", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"addprinc failed: {result.StandardOutput} {result.StandardError}");
        }
    }

    /// <summary>Exports the KDC's own keys of a principal (ktadd -norandkey), an independent reference.</summary>
    /// <param name="principal">The principal without realm.</param>
    /// <returns>The keytab path.</returns>
    public string ExportKdcKeys(string principal)
    {
        string path = Path.Combine(Directory, "kdc-" + Guid.NewGuid().ToString("N") + ".keytab");
        ExternalTool.Result result = ExternalTool.Run(KadminLocal, ["-r", Realm, "-q", $"ktadd -k {path} -norandkey {principal}"], environment: _environment);
        if (result.ExitCode != 0 || !File.Exists(path))
        {
            throw new InvalidOperationException($"ktadd failed: {result.StandardOutput} {result.StandardError}");
        }
        return path;
    }

    /// <summary>Runs kinit -k -t with a fresh credential cache.</summary>
    /// <param name="keytab">The keytab.</param>
    /// <param name="principal">The principal with realm.</param>
    /// <returns>The result.</returns>
    public ExternalTool.Result KinitWithKeytab(string keytab, string principal) =>
        ExternalTool.Run(Kinit, ["-k", "-t", keytab, principal], timeout: TimeSpan.FromSeconds(30), environment: FreshCacheEnvironment());

    /// <summary>Runs kinit with a password on standard input and a fresh credential cache.</summary>
    /// <param name="principal">The principal with realm.</param>
    /// <param name="password">The password.</param>
    /// <returns>The result.</returns>
    public ExternalTool.Result KinitWithPassword(string principal, string password) =>
        ExternalTool.Run(Kinit, [principal], standardInput: password + "\n", timeout: TimeSpan.FromSeconds(30), environment: FreshCacheEnvironment());

    /// <summary>The KDC log so far.</summary>
    /// <returns>The text.</returns>
    public string ReadKdcLog()
    {
        using var stream = new FileStream(KdcLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Stops the KDC by its process id and removes the folder.</summary>
    public void Dispose()
    {
        try
        {
            if (!_kdc.HasExited)
            {
                _kdc.Kill(entireProcessTree: true);
                _kdc.WaitForExit(5000);
            }
        }
        finally
        {
            _kdc.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; never fail a test run on cleanup.
            }
        }
    }

    private Dictionary<string, string> FreshCacheEnvironment() => new(_environment)
    {
        ["KRB5CCNAME"] = "FILE:" + Path.Combine(Directory, "ccache-" + Guid.NewGuid().ToString("N")),
    };

    private void WaitUntilListening()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_startTimeout)
        {
            if (_kdc.HasExited)
            {
                throw new InvalidOperationException($"krb5kdc exited with code {_kdc.ExitCode}; log: {(File.Exists(KdcLogPath) ? ReadKdcLog() : "none")}");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(Address, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"krb5kdc did not listen on {Address}:{Port} within {s_startTimeout.TotalSeconds} s."));
    }
}
