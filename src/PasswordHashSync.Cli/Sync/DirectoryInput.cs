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
    /// <param name="options">The reader limits (the settings file's <c>ldif</c> section), or <see langword="null"/> for the defaults.</param>
    /// <returns>The users, in file order.</returns>
    /// <exception cref="DataException">The file is missing or malformed, or no sample is bundled.</exception>
    public static IReadOnlyList<DirectoryUser> Load(string? path, LdifReaderOptions? options = null) => [.. Stream(path, options)];

    /// <summary>Reads the objects of the export one at a time (nothing is held but the current record).</summary>
    /// <param name="path">The LDIF file, or <see langword="null"/> for the bundled sample.</param>
    /// <param name="options">The reader limits (the settings file's <c>ldif</c> section), or <see langword="null"/> for the defaults.</param>
    /// <returns>The users, in file order; every enumeration reads the input again.</returns>
    /// <exception cref="DataException">The file is missing or malformed (thrown while enumerating), or no sample is bundled.</exception>
    public static IEnumerable<DirectoryUser> Stream(string? path, LdifReaderOptions? options = null)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new DataException($"input file {path} does not exist");
        }

        return Translate(path, path is not null ? LdifDirectoryReader.ReadFile(path, options) : ReadSample(options));
    }

    /// <summary>
    /// Reads only the identity (DN, objectGUID) of each object, in the order <see cref="Stream"/> yields them, without
    /// decoding anything else (<see cref="LdifDirectoryReader.ReadIdentities(System.IO.Stream, LdifReaderOptions?)"/>).
    /// </summary>
    /// <param name="path">The LDIF file, or <see langword="null"/> for the bundled sample.</param>
    /// <param name="options">The reader's limits, or <see langword="null"/> for the defaults.</param>
    /// <returns>The identities; every enumeration reads the input again.</returns>
    /// <exception cref="DataException">The file is missing or does not decode (thrown while enumerating), or no sample is bundled.</exception>
    public static IEnumerable<LdifObjectIdentity> StreamIdentities(string? path, LdifReaderOptions? options = null)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new DataException($"input file {path} does not exist");
        }

        return Translate(path, path is not null ? LdifDirectoryReader.ReadIdentitiesFromFile(path, options) : ReadSampleIdentities(options));
    }

    private static IEnumerable<LdifObjectIdentity> ReadSampleIdentities(LdifReaderOptions? options)
    {
        using System.IO.Stream sample = OpenSample();
        foreach (LdifObjectIdentity identity in LdifDirectoryReader.ReadIdentities(sample, options))
        {
            yield return identity;
        }
    }

    private static System.IO.Stream OpenSample() =>
        typeof(DirectoryInput).Assembly.GetManifestResourceStream(SampleResourceName)
            ?? throw new DataException("this build of pwsync has no bundled sample directory: pass --input export.ldif");

    private static IEnumerable<DirectoryUser> ReadSample(LdifReaderOptions? options)
    {
        using System.IO.Stream sample = OpenSample();
        foreach (DirectoryUser user in LdifDirectoryReader.Read(sample, options))
        {
            yield return user;
        }
    }

    // The reader's errors become data errors (exit code 3) with the input named, wherever the enumeration is.
    private static IEnumerable<T> Translate<T>(string? path, IEnumerable<T> users)
    {
        using IEnumerator<T> e = users.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext())
                {
                    yield break;
                }
            }
            catch (LdifFormatException ex)
            {
                throw new DataException($"{path ?? "the bundled sample"} is not a valid LDIF export: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DataException($"cannot read {path}: {ex.Message}");
            }

            yield return e.Current;
        }
    }
}
