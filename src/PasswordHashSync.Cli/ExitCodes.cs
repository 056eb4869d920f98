namespace PasswordHashSync.Cli;

/// <summary>The process exit codes of pwsync.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for <c>verify</c>, the password matches.</summary>
    public const int Ok = 0;

    /// <summary><c>verify</c> only: the password does not match the digest.</summary>
    public const int NoMatch = 1;

    /// <summary>The command line is wrong (unknown command or option, missing value).</summary>
    public const int Usage = 2;

    /// <summary>The input or data is wrong (bad hex, unreadable file, malformed digest, no LM hash).</summary>
    public const int DataError = 3;

    /// <summary>The domain controller could not be reached, refused the credentials or the replication rights (<c>sync --dc</c>, <c>replicate</c>).</summary>
    public const int DirectoryError = 4;

    /// <summary>
    /// The sync state is in use: another <c>pwsync agent</c> or <c>pwsync sync --state</c> holds its lock file (the
    /// message names it). Retrying does not help while the other process runs (systemd: RestartPreventExitStatus).
    /// </summary>
    public const int StateLocked = 5;

    /// <summary><c>pwsync agent</c>: the cycle of <c>--once</c> failed, the state is corrupted, or the agent stopped on an error (see the log).</summary>
    public const int AgentFailed = 6;
}
