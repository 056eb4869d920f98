using System.Text.Json;
using System.Text.Json.Serialization;
using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Batch;

/// <summary>
/// The settings of <c>pwsync batch</c> (<c>--settings FILE</c>, JSON with camelCase names). A misspelt setting is an
/// error (exit 3), never silently ignored.
/// </summary>
internal sealed class BatchSettings
{
    /// <summary>
    /// The default budget: 1,000,000 iterations, about 0.5 to 1 s of PBKDF2 on one core. It is far above what a real request
    /// needs (AD's Kerberos keys use 4096, the SHA-2 types 32768, Entra digests 1000, at most 100000) and far below
    /// the 2^24 - 1 string-to-key iterations one line could otherwise ask for (about 14 s).
    /// </summary>
    public const int DefaultMaxIterationsPerRequest = 1_000_000;

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>
    /// The most iterations one request may ask for: a <c>kerberos</c> line's string-to-key count (given or the type's
    /// default) or a <c>digest</c> line's PBKDF2 count. A line above it is answered with <c>over_budget</c> without
    /// doing the work. 1 to 2^24 - 1; default <see cref="DefaultMaxIterationsPerRequest"/>.
    /// </summary>
    public int MaxIterationsPerRequest { get; init; } = DefaultMaxIterationsPerRequest;

    /// <summary>Loads the settings, or the defaults when <paramref name="path"/> is <see langword="null"/>.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>Validated settings.</returns>
    /// <exception cref="DataException">The file is missing, not JSON, has an unknown setting, or a value out of range.</exception>
    public static BatchSettings Load(string? path)
    {
        if (path is null)
        {
            return new BatchSettings();
        }
        BatchSettings settings;
        try
        {
            using FileStream stream = File.OpenRead(path);
            settings = JsonSerializer.Deserialize<BatchSettings>(stream, s_options)
                ?? throw new DataException($"batch settings file {path} holds null");
        }
        catch (JsonException e)
        {
            throw new DataException($"batch settings file {path} is not valid: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot read batch settings file {path}: {e.Message}");
        }
        if (settings.MaxIterationsPerRequest is < 1 or > Kerberos.KerberosKeyDerivation.MaxIterationCount)
        {
            throw new DataException($"batch settings file {path}: maxIterationsPerRequest must be from 1 to {Kerberos.KerberosKeyDerivation.MaxIterationCount}");
        }
        return settings;
    }
}
