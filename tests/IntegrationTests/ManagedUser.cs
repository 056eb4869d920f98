namespace PasswordHashSync.IntegrationTests;

/// <summary>Where a managed-domain test user's credentials come from.</summary>
public enum ManagedUserSource
{
    /// <summary>The bundled sample export (samples/directory.ldif), through pwsync sync.</summary>
    BundledSample,

    /// <summary>An export generated from the password by the library, through pwsync sync.</summary>
    Generated,

    /// <summary>Written directly, with Kerberos keys from another password (a control).</summary>
    Control,
}

/// <summary>A user of the Samba managed-domain test.</summary>
/// <param name="Name">The sAMAccountName.</param>
/// <param name="Password">The password the user signs in with.</param>
/// <param name="UserPrincipalName">The UPN, or <see langword="null"/> for the DC's default.</param>
/// <param name="Source">Where the credentials come from.</param>
/// <param name="KerberosKeysFrom">For the control: the other password its Kerberos keys are derived from.</param>
public sealed record ManagedUser(string Name, string Password, string? UserPrincipalName, ManagedUserSource Source, string? KerberosKeysFrom);
