namespace PasswordHashSync.Cli.Sync;

/// <summary>How <c>pwsync replicate</c> and <c>pwsync sync --dc</c> sign in to the DC (<c>--auth</c>).</summary>
internal enum DirectoryAuthentication
{
    /// <summary>Kerberos first; NTLM only when Kerberos is not possible (see <see cref="Replication.NegotiateCredential"/>).</summary>
    Negotiate,

    /// <summary>Kerberos only (AES; a password or a keytab).</summary>
    Kerberos,

    /// <summary>NTLMv2 only (a password).</summary>
    Ntlm,
}
