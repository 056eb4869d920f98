using System.Net;
using PasswordHashSync.IntegrationTests.Samba;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// A throwaway Samba AD DC with NTLM disabled (<c>ntlm auth = disabled</c> written under [global]; the provision
/// option is not written to smb.conf), on its own random loopback address, for the Kerberos tests: its KDC serves
/// port 88 there, DRSUAPI a dynamic port. Only Administrator exists, with a known password; tests add users with
/// <see cref="SambaToolLocal"/>. Its log (level 3, standard output of <c>samba -i</c>) is kept for the tests to read.
/// </summary>
public sealed class SambaKerberosDc : IDisposable
{
    /// <summary>The realm.</summary>
    public const string Realm = "KRB.EXAMPLE.TEST";

    /// <summary>The NetBIOS domain.</summary>
    public const string NetBiosDomain = "KRBEXAMPLE";

    /// <summary>The DC's DNS host name (its ldap/ and host/ service principals).</summary>
    public const string HostName = "krbdc.krb.example.test";

    private readonly SambaDomainController _dc;

    public SambaKerberosDc()
    {
        AdministratorPassword = "Adm1n-" + Guid.NewGuid().ToString("N");
        _dc = new SambaDomainController(new SambaDomainOptions
        {
            Realm = Realm,
            NetBiosDomain = NetBiosDomain,
            HostName = "krbdc",
            AdministratorPassword = AdministratorPassword,
            FolderPrefix = "phs-krb-dc-",
            ExtraGlobalOptions = ["ntlm auth = disabled", "log level = 3"],
            CaptureLog = true,
        });
        // LDAP too: a Kerberos sign-in to the DC by address reads its host name from the rootDSE (port 389) first.
        _dc.Start(SambaDomainController.ServicePorts);
    }

    /// <summary>The DC's loopback address.</summary>
    public IPAddress Address => _dc.Address;

    /// <summary>The DC's address as a host string.</summary>
    public string Host => Address.ToString();

    /// <summary>The KDC as host:port.</summary>
    public string Kdc => Host + ":88";

    /// <summary>Administrator's password.</summary>
    public string AdministratorPassword { get; }

    /// <summary>The temporary folder.</summary>
    public string Directory => _dc.Folder;

    /// <summary>The DC's smb.conf.</summary>
    public string SmbConf => _dc.SmbConf;

    /// <summary>samba-tool.</summary>
    public string SambaTool => _dc.SambaTool;

    /// <summary>How many lines the DC has logged so far.</summary>
    public long LogPosition => _dc.LogPosition;

    /// <summary>What the DC logged after <paramref name="position"/>.</summary>
    /// <param name="position">A <see cref="LogPosition"/>.</param>
    /// <returns>The lines, oldest first.</returns>
    public string[] LogSince(long position) => _dc.LogSince(position);

    /// <summary>Runs samba-tool against the DC's database.</summary>
    /// <param name="arguments">The sub-command and its arguments.</param>
    /// <returns>The standard output.</returns>
    public string SambaToolLocal(params string[] arguments) => _dc.SambaToolLocal(arguments);

    public void Dispose() => _dc.Dispose();
}
