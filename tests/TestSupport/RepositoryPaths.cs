namespace PasswordHashSync.TestSupport;

/// <summary>Locates the repository root and the shared reference folder beside it.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding PasswordHashSync.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>
    /// The shared reference folder (<c>../shared</c> next to the repository, as CI lays it out), or the
    /// <c>PHS_SHARED_DIR</c> environment variable when set.
    /// </summary>
    public static string Shared
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("PHS_SHARED_DIR");
            string path = string.IsNullOrEmpty(fromEnvironment) ? Path.GetFullPath(Path.Combine(Root, "..", "shared")) : fromEnvironment;
            if (!System.IO.Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"The shared reference folder was not found at '{path}'. Set PHS_SHARED_DIR.");
            }

            return path;
        }
    }

    /// <summary>The published test vectors file.</summary>
    public static string PublicVectors => Path.Combine(Shared, "docs", "vectors", "public-vectors.json");

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
