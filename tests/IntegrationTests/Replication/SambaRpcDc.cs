using System.Net;
using PasswordHashSync.IntegrationTests.Samba;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A small throwaway Samba AD DC for the DCE/RPC transport tests, bound to its own random loopback address (so it
/// never collides with another run or another DC fixture) and with its own pid directory. Only Administrator exists
/// with a known password.
/// </summary>
public sealed class SambaRpcDc : IDisposable
{
    /// <summary>The realm.</summary>
    public const string Realm = "RPC.EXAMPLE.TEST";

    /// <summary>The NetBIOS domain.</summary>
    public const string NetBiosDomain = "RPCEXAMPLE";

    private readonly SambaDomainController _dc;

    public SambaRpcDc()
    {
        AdministratorPassword = "Adm1n-" + Guid.NewGuid().ToString("N");
        _dc = new SambaDomainController(new SambaDomainOptions
        {
            Realm = Realm,
            NetBiosDomain = NetBiosDomain,
            HostName = "rpcdc",
            AdministratorPassword = AdministratorPassword,
            FolderPrefix = "phs-rpc-dc-",
        });
        _dc.Start(SambaDomainController.ServicePorts);
    }

    /// <summary>The DC's loopback address.</summary>
    public IPAddress Address => _dc.Address;

    /// <summary>The DC's address as a host string.</summary>
    public string Host => Address.ToString();

    /// <summary>Administrator's password.</summary>
    public string AdministratorPassword { get; }

    /// <summary>The temporary folder.</summary>
    public string Directory => _dc.Folder;

    public void Dispose() => _dc.Dispose();
}
