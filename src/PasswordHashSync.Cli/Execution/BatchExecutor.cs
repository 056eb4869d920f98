using PasswordHashSync.Cli.Batch;

namespace PasswordHashSync.Cli.Execution;

/// <summary>Runs the JSON-lines batch over standard input and output.</summary>
internal static class BatchExecutor
{
    /// <summary>Answers every request line.</summary>
    /// <param name="settingsPath">The batch settings file, or <see langword="null"/> for the defaults.</param>
    /// <param name="context">The streams.</param>
    /// <returns>0 once every line is answered.</returns>
    public static int Run(string? settingsPath, CliContext context)
    {
        BatchSettings settings = BatchSettings.Load(settingsPath);
        using var processor = new BatchProcessor(context.Output, settings);
        _ = processor.Run(context.Input);
        return ExitCodes.Ok;
    }
}
