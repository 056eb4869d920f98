using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A throwaway Samba AD DC with NTLM disabled (<c>ntlm auth = disabled</c> written under [global]; the provision
/// option is not written to smb.conf), on its own random loopback address, for the Kerberos tests: its KDC serves
/// port 88 there, DRSUAPI a dynamic port. Only Administrator exists, with a known password.
/// </summary>
public sealed class SambaKerberosDc : IDisposable
{
    /// <summary>The realm.</summary>
    public const string Realm = "KRB.EXAMPLE.TEST";

    /// <summary>The NetBIOS domain.</summary>
    public const string NetBiosDomain = "KRBEXAMPLE";

    /// <summary>The DC's DNS host name (its ldap/ and host/ service principals).</summary>
    public const string HostName = "krbdc.krb.example.test";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _samba;

    public SambaKerberosDc()
    {
        string sambaTool = ExternalTool.Require("samba-tool", "samba");
        string samba = ExternalTool.Require("samba", "samba");
        SambaTool = sambaTool;
        Address = LoopbackAddress.Allocate(88, 135, 389, 445);
        AdministratorPassword = "Adm1n-" + Guid.NewGuid().ToString("N");
        Directory = System.IO.Directory.CreateTempSubdirectory("phs-krb-dc-").FullName;
        ExternalTool.Result provision = ExternalTool.Run(
            sambaTool,
            [
                "domain", "provision", "--realm=" + Realm, "--domain=" + NetBiosDomain, "--server-role=dc",
                "--dns-backend=NONE", "--host-name=krbdc", "--adminpass=" + AdministratorPassword,
                "--targetdir=" + Path.Combine(Directory, "dc"),
                "--option=interfaces=" + LoopbackAddress.SambaInterfaces(Address), "--option=bind interfaces only=yes",
                "--option=log file=" + Path.Combine(Directory, "log.%m"),
            ],
            timeout: TimeSpan.FromMinutes(4));
        if (provision.ExitCode != 0)
        {
            throw new InvalidOperationException($"samba-tool domain provision failed: {provision.StandardError}{provision.StandardOutput}");
        }

        string pidDirectory = Path.Combine(Directory, "pid");
        System.IO.Directory.CreateDirectory(pidDirectory);
        SmbConf = Path.Combine(Directory, "dc", "etc", "smb.conf");
        string global = "[global]\n\tpid directory = " + pidDirectory + "\n\tntlm auth = disabled\n\tlog level = 3";
        File.WriteAllText(SmbConf, File.ReadAllText(SmbConf).Replace("[global]", global, StringComparison.Ordinal));

        var startInfo = new ProcessStartInfo(samba) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-i", "-M", "single", "-s", SmbConf })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _samba = Process.Start(startInfo) ?? throw new InvalidOperationException("samba did not start.");
        _samba.OutputDataReceived += (_, _) => { };
        _samba.ErrorDataReceived += (_, _) => { };
        _samba.BeginOutputReadLine();
        _samba.BeginErrorReadLine();
        WaitUntilListening(88);
        WaitUntilListening(135);
    }

    /// <summary>The DC's loopback address.</summary>
    public IPAddress Address { get; }

    /// <summary>The DC's address as a host string.</summary>
    public string Host => Address.ToString();

    /// <summary>The KDC as host:port.</summary>
    public string Kdc => Host + ":88";

    /// <summary>Administrator's password.</summary>
    public string AdministratorPassword { get; }

    /// <summary>The temporary folder.</summary>
    public string Directory { get; }

    /// <summary>The DC's smb.conf.</summary>
    public string SmbConf { get; }

    /// <summary>samba-tool.</summary>
    public string SambaTool { get; }

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
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private void WaitUntilListening(int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_samba.HasExited)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"samba exited with code {_samba.ExitCode} before listening on port {port}."));
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(Address, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < s_startTimeout)
            {
                Thread.Sleep(200);
            }
        }
    }
}
