using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Kerberos;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// Makes the domain controller source's credential, once at start, the way <c>pwsync replicate</c> does
/// (<see cref="DirectoryCredentials"/>): from the password file or the environment (NTLM, Kerberos or negotiate), or
/// from the keytab (Kerberos; read again, with the same checks, before every later sign-in so a rotated keytab is used
/// without a restart). Both files are read by <see cref="AgentSecretFile"/>: no symbolic link, no access for group or
/// others, owned by the agent's user.
/// </summary>
internal static class DomainControllerCredentialReader
{
    /// <summary>The largest password file accepted, in bytes.</summary>
    public const int MaxPasswordBytes = 64 * 1024;

    /// <summary>The largest keytab accepted, in bytes (an agent's keytab holds a handful of keys).</summary>
    public const int MaxKeytabBytes = 1 << 20;

    private const string PasswordFileSetting = "Agent:Source:DomainController:PasswordFile";
    private const string KeytabFileSetting = "Agent:Source:DomainController:KeytabFile";

    /// <summary>Reads the password or keytab and makes the credential <see cref="DomainControllerSourceOptions.Auth"/> names; every copy of the password is zeroed.</summary>
    /// <param name="options">The validated settings.</param>
    /// <returns>The credential (dispose it to zero its keys).</returns>
    /// <exception cref="DataException">The password file or keytab is missing, unreadable, a symbolic link, readable by others, owned by another user, too long or malformed.</exception>
    public static ReplicationCredential Create(DomainControllerSourceOptions options)
    {
        (string userName, string userDomain) = options.SplitUser();
        string realm = options.ToRealm();
        string kdc = options.ToKdcEndpoint();
        if (!string.IsNullOrWhiteSpace(options.KeytabFile))
        {
            string path = options.KeytabFile;
            try
            {
                KerberosCredential fromKeytab = KerberosCredential.FromKeytab(() => ReadKeytab(path), userName, realm, kdc, options.AllowRc4);
                return DirectoryCredentials.FromKeytab(options.Authentication, fromKeytab);
            }
            catch (Exception e) when (e is InvalidDataException or KerberosException)
            {
                throw new DataException($"cannot use the keytab {path} ({KeytabFileSetting}): {e.Message}");
            }
        }

        char[] password = options.PasswordFile is null ? (options.Password ?? string.Empty).ToCharArray() : ReadPassword(options.PasswordFile, userName, userDomain);
        try
        {
            return DirectoryCredentials.FromPassword(options.Authentication, userName, userDomain, realm, kdc, password, options.AllowRc4);
        }
        finally
        {
            Array.Clear(password);
        }
    }

    private static byte[] ReadKeytab(string path) => AgentSecretFile.ReadAll(path, "keytab", KeytabFileSetting, MaxKeytabBytes);

    private static char[] ReadPassword(string path, string userName, string userDomain)
    {
        byte[] buffer = new byte[MaxPasswordBytes + 1];
        try
        {
            int length = AgentSecretFile.Read(path, "password file", PasswordFileSetting, buffer);
            if (length > MaxPasswordBytes)
            {
                throw new DataException($"the password file {path} is longer than {MaxPasswordBytes} bytes");
            }

            if (length > 0 && buffer[length - 1] == (byte)'\n')
            {
                length--;
                length -= length > 0 && buffer[length - 1] == (byte)'\r' ? 1 : 0;
            }

            if (length == 0)
            {
                throw new DataException($"the password file {path} is empty; it must hold the password of {userDomain}\\{userName}");
            }

            var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
            try
            {
                char[] chars = new char[utf8.GetCharCount(buffer, 0, length)];
                utf8.GetChars(buffer, 0, length, chars, 0);
                return chars;
            }
            catch (DecoderFallbackException)
            {
                throw new DataException($"the password file {path} is not valid UTF-8");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
