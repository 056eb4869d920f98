namespace PasswordHashSync.TestSupport;

/// <summary>Locates the repository root and the files the tests read inside it.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding PasswordHashSync.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>The published test vectors file (<c>tests/Vectors/public-vectors.json</c>; provenance in its README).</summary>
    public static string PublicVectors => Path.Combine(Root, "tests", "Vectors", "public-vectors.json");

    private static string FindRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory, "PasswordHashSync.sln")))
            {
                return directory;
            }

            directory = Path.GetDirectoryName(directory);
        }

        throw new DirectoryNotFoundException("PasswordHashSync.sln was not found above the test binaries.");
    }
}
