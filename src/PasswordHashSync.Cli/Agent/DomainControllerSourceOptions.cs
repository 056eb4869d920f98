namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// The domain controller source's settings (<c>Agent:Source:DomainController</c>). The password never sits in the
/// configuration: it is read from <see cref="PasswordFile"/> (mode 0600) or a systemd credential.
/// </summary>
internal sealed class DomainControllerSourceOptions
{
    /// <summary>The domain controller, <c>HOST</c> or <c>HOST:PORT</c>.</summary>
    public string? Host { get; set; }

    /// <summary>The DNS domain name, for example <c>corp.example.com</c>.</summary>
    public string? Domain { get; set; }

    /// <summary>The connector account (needs Replicating Directory Changes and Replicating Directory Changes All).</summary>
    public string? User { get; set; }

    /// <summary>A file holding the account's password (first line); keep it 0600, or use systemd's LoadCredential.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Every problem, one line each.</summary>
    /// <returns>The problems.</returns>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "Agent:Source:DomainController:Host is missing: the domain controller's name or address.";
        }

        if (string.IsNullOrWhiteSpace(Domain))
        {
            yield return "Agent:Source:DomainController:Domain is missing: the DNS domain, for example corp.example.com.";
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            yield return "Agent:Source:DomainController:User is missing: the connector account with the replication rights.";
        }

        if (string.IsNullOrWhiteSpace(PasswordFile))
        {
            yield return "Agent:Source:DomainController:PasswordFile is missing: a 0600 file with the account's password.";
        }
    }
}
