using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A small throwaway Samba AD DC for the DCE/RPC transport tests, bound to its own random loopback address (so it
/// never collides with another run or another DC fixture) and with its own pid directory (two samba processes
/// otherwise share /run/samba/samba.pid and the second refuses to start). Only Administrator exists with a known
/// password. Kept in its own file so the richer replication DC fixture can replace it.
/// </summary>
public sealed class SambaRpcDc : IDisposable
{
    /// <summary>The realm.</summary>
    public const string Realm = "RPC.EXAMPLE.TEST";

    /// <summary>The NetBIOS domain.</summary>
    public const string NetBiosDomain = "RPCEXAMPLE";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _samba;

    public SambaRpcDc()
    {
        string sambaTool = ExternalTool.Require("samba-tool", "samba");
        string samba = ExternalTool.Require("samba", "samba");
        Address = LoopbackAddress.Allocate(88, 135, 389, 445);
        AdministratorPassword = "Adm1n-" + Guid.NewGuid().ToString("N");
        Directory = System.IO.Directory.CreateTempSubdirectory("phs-rpc-dc-").FullName;
        ExternalTool.Result provision = ExternalTool.Run(
            sambaTool,
            [
                "domain", "provision", "--realm=" + Realm, "--domain=" + NetBiosDomain, "--server-role=dc",
                "--dns-backend=NONE", "--host-name=rpcdc", "--adminpass=" + AdministratorPassword,
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
        string smbConf = Path.Combine(Directory, "dc", "etc", "smb.conf");
        File.WriteAllText(smbConf, File.ReadAllText(smbConf).Replace("[global]", "[global]\n\tpid directory = " + pidDirectory, StringComparison.Ordinal));

        var startInfo = new ProcessStartInfo(samba) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-i", "-M", "single", "-s", smbConf })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _samba = Process.Start(startInfo) ?? throw new InvalidOperationException("samba did not start.");
        _samba.OutputDataReceived += (_, _) => { };
        _samba.ErrorDataReceived += (_, _) => { };
        _samba.BeginOutputReadLine();
        _samba.BeginErrorReadLine();
        WaitUntilListening(135);
    }

    /// <summary>The DC's loopback address.</summary>
    public IPAddress Address { get; }

    /// <summary>The DC's address as a host string.</summary>
    public string Host => Address.ToString();

    /// <summary>Administrator's password.</summary>
    public string AdministratorPassword { get; }

    /// <summary>The temporary folder.</summary>
    public string Directory { get; }

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
