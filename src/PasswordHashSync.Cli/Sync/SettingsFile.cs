using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// Reads <see cref="PasswordHashSyncSettings"/> from a JSON file (camelCase names, as in docs/cli.md, sync), with one
/// section of pwsync's own: <c>ldif</c>, the LDIF reader limits (<see cref="LdifLimitSettings"/>).
/// </summary>
internal static class SettingsFile
{
    /// <summary>The name of the LDIF limits section.</summary>
    public const string LdifSection = "ldif";

    // The ldif section is an extra property on the settings' contract (the core type knows nothing of the reader): its
    // value is kept beside the instance, so one strict read keeps the file's line numbers in every error.
    private static readonly ConditionalWeakTable<PasswordHashSyncSettings, LdifLimitSettings> s_ldif = [];

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A misspelt setting must not be silently ignored.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddLdifSection } },
    };

    /// <summary>Loads the settings, or the defaults when <paramref name="path"/> is <see langword="null"/>.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>Validated settings.</returns>
    /// <exception cref="DataException">The file is missing, not JSON, has an unknown setting, or a value out of range.</exception>
    public static PasswordHashSyncSettings Load(string? path) => Load(path, out _);

    /// <summary>Loads the settings and the LDIF reader limits, or the defaults when <paramref name="path"/> is <see langword="null"/>.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="ldif">The reader options: the library's defaults with the file's <c>ldif</c> section applied.</param>
    /// <returns>Validated settings.</returns>
    /// <exception cref="DataException">The file is missing, not JSON, has an unknown setting, or a value out of range.</exception>
    public static PasswordHashSyncSettings Load(string? path, out LdifReaderOptions ldif)
    {
        ldif = new LdifReaderOptions();
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

        if (s_ldif.TryGetValue(settings, out LdifLimitSettings? limits))
        {
            List<string> problems = limits.Validate(LdifSection + ".", camelCase: true);
            if (problems.Count > 0)
            {
                throw new DataException($"settings file {path}: {string.Join(" ", problems)}");
            }

            ldif = limits.ToReaderOptions();
        }

        return settings;
    }

    private static void AddLdifSection(JsonTypeInfo info)
    {
        if (info.Type != typeof(PasswordHashSyncSettings))
        {
            return;
        }

        JsonPropertyInfo section = info.CreateJsonPropertyInfo(typeof(LdifLimitSettings), LdifSection);
        section.Set = (settings, value) => s_ldif.AddOrUpdate((PasswordHashSyncSettings)settings, (LdifLimitSettings?)value ?? new LdifLimitSettings());
        info.Properties.Add(section);
    }
}
