using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Directory;

namespace PasswordHashSync.Cli.Sync;

/// <summary>Loads the users of an LDIF export, or of the sample directory bundled with pwsync.</summary>
internal static class DirectoryInput
{
    /// <summary>The manifest name of the embedded sample (samples/directory.ldif of the repository).</summary>
    public const string SampleResourceName = "PasswordHashSync.Cli.Samples.directory.ldif";

    /// <summary>How the bundled sample is named in reports.</summary>
    public const string SampleDisplayName = "bundled sample directory (samples/directory.ldif)";

    /// <summary>Reads every object of the export.</summary>
    /// <param name="path">The LDIF file, or <see langword="null"/> for the bundled sample.</param>
    /// <returns>The users, in file order.</returns>
    /// <exception cref="DataException">The file is missing or malformed, or no sample is bundled.</exception>
    public static IReadOnlyList<DirectoryUser> Load(string? path)
    {
        try
        {
            if (path is not null)
            {
                if (!File.Exists(path))
                {
                    throw new DataException($"input file {path} does not exist");
                }
                return [.. LdifDirectoryReader.ReadFile(path)];
            }
            using Stream sample = typeof(DirectoryInput).Assembly.GetManifestResourceStream(SampleResourceName)
                ?? throw new DataException("this build of pwsync has no bundled sample directory: pass --input export.ldif");
            return [.. LdifDirectoryReader.Read(sample)];
        }
        catch (LdifFormatException e)
        {
            throw new DataException($"{path ?? "the bundled sample"} is not a valid LDIF export: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot read {path}: {e.Message}");
        }
    }
}
