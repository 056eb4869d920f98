namespace PasswordHashSync.Cli.Sync;

/// <summary>Where the DC account's secret comes from; never a command-line value.</summary>
internal enum DirectoryPasswordSource
{
    /// <summary><c>--password-stdin</c>.</summary>
    StandardInput,

    /// <summary><c>--password-file FILE</c>.</summary>
    File,

    /// <summary>
    /// None was named: the environment variable <c>PWSYNC_DC_PASSWORD</c> when it is set, else a no-echo prompt when
    /// standard input is a terminal, else a usage error.
    /// </summary>
    EnvironmentOrPrompt,

    /// <summary><c>--keytab FILE</c>: Kerberos keys instead of a password.</summary>
    Keytab,
}
