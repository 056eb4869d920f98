using System.Text.Json;
using System.Text.Json.Serialization;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>Reads <see cref="PasswordHashSyncSettings"/> from a JSON file (camelCase names, as in docs/cli.md, sync).</summary>
internal static class SettingsFile
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A misspelt setting must not be silently ignored.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Loads the settings, or the defaults when <paramref name="path"/> is <see langword="null"/>.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>Validated settings.</returns>
    /// <exception cref="DataException">The file is missing, not JSON, has an unknown setting, or a value out of range.</exception>
    public static PasswordHashSyncSettings Load(string? path)
    {
        if (path is null)
        {
            return new PasswordHashSyncSettings();
        }
        PasswordHashSyncSettings settings;
        try
        {
            using FileStream stream = File.OpenRead(path);
            settings = JsonSerializer.Deserialize<PasswordHashSyncSettings>(stream, s_options)
                ?? throw new DataException($"settings file {path} holds null");
        }
        catch (JsonException e)
        {
            throw new DataException($"settings file {path} is not valid: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot read settings file {path}: {e.Message}");
        }
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new DataException($"settings file {path}: {e.Message}");
        }
        return settings;
    }
}
