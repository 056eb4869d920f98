using Microsoft.Extensions.Logging;

namespace PasswordHashSync.Cli.Output;

/// <summary>
/// The engine's log events on a command's standard error, one line each with the stable event ID and name (the IDs
/// docs/agent.md lists), so <c>pwsync sync --dc</c> reports a failure with the same event as <c>pwsync agent</c>:
/// <c>pwsync sync: error 1011 ReplicationAccessDenied: ...</c>. The messages carry no secret (SyncLog's rule).
/// </summary>
internal sealed class CliEventLogger : ILogger
{
    private readonly TextWriter _writer;
    private readonly string _command;
    private readonly LogLevel _minimum;

    /// <summary>Creates the logger.</summary>
    /// <param name="writer">Standard error.</param>
    /// <param name="command">The prefix of every line, for example <c>pwsync sync</c>.</param>
    /// <param name="minimum">The least level written (a run's per-user information events would drown its report).</param>
    public CliEventLogger(TextWriter writer, string command, LogLevel minimum)
    {
        _writer = writer;
        _command = command;
        _minimum = minimum;
    }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _minimum;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        // The exception is not printed: its message is already in the event's, and a stack trace helps no administrator.
        _writer.WriteLine($"{_command}: {Level(logLevel)} {eventId.Id} {eventId.Name}: {formatter(state, exception)}");
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Critical => "critical",
        LogLevel.Error => "error",
        LogLevel.Warning => "warning",
        LogLevel.Information => "info",
        _ => "debug",
    };
}
