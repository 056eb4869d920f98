using System.Net;
using PasswordHashSync.IntegrationTests.Samba;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A throwaway Samba AD DC whose KDC supports RC4-HMAC only (<c>kdc supported enctypes = 4</c> in smb.conf, smb.conf(5)):
/// it answers an AES-only AS-REQ with KDC_ERR_ETYPE_NOSUPP although Administrator has AES keys, and issues RC4 session
/// keys. On its own loopback address; KDC, endpoint mapper and LDAP (for the DC's host name) are waited for.
/// </summary>
public sealed class SambaRc4OnlyKdc : IDisposable
{
    /// <summary>The realm.</summary>
    public const string Realm = "RC4KDC.EXAMPLE.TEST";

    /// <summary>The DNS domain.</summary>
    public const string DnsDomain = "rc4kdc.example.test";

    /// <summary>The NetBIOS domain.</summary>
    public const string NetBiosDomain = "RC4KDC";

    private readonly SambaDomainController _dc;

    public SambaRc4OnlyKdc()
    {
        AdministratorPassword = "Adm1n-" + Guid.NewGuid().ToString("N");
        _dc = new SambaDomainController(new SambaDomainOptions
        {
            Realm = Realm,
            NetBiosDomain = NetBiosDomain,
            HostName = "rc4dc",
            AdministratorPassword = AdministratorPassword,
            FolderPrefix = "phs-rc4-kdc-",
            ExtraGlobalOptions = ["kdc supported enctypes = 4", "log level = 3"],
        });
        _dc.Start(SambaDomainController.ServicePorts);
    }

    /// <summary>The DC's loopback address.</summary>
    public IPAddress Address => _dc.Address;

    /// <summary>The KDC as host:port.</summary>
    public string Kdc => Address + ":88";

    /// <summary>Administrator's password.</summary>
    public string AdministratorPassword { get; }

    public void Dispose() => _dc.Dispose();
}

/// <summary>The tests of the RC4-only KDC share one DC.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SambaRc4OnlyKdcGroup : ICollectionFixture<SambaRc4OnlyKdc>
{
    /// <summary>The collection name.</summary>
    public const string Name = "Samba DC whose KDC offers only RC4";
}
