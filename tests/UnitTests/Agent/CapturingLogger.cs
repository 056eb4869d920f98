using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>One captured log event: its ID, level, the formatted message and every structured value.</summary>
internal sealed record CapturedLogEvent(EventId EventId, LogLevel Level, string Category, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception);

/// <summary>A logger provider that keeps every event at every level (Trace included) for inspection.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<CapturedLogEvent> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            IReadOnlyList<KeyValuePair<string, object?>> values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner.Events.Enqueue(new CapturedLogEvent(eventId, logLevel, category, formatter(state, exception), [.. values], exception));
        }
    }
}
