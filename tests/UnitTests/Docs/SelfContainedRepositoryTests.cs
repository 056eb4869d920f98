using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Docs;

/// <summary>A clone alone builds, tests and links: no file reads or points at a folder beside the repository.</summary>
public class SelfContainedRepositoryTests
{
    // Built from parts so that this file does not match itself.
    private static readonly string[] s_outsideMarkers = ["../" + "shared", "PHS_" + "SHARED_DIR", "/work/" + "shared"];

    private static readonly string[] s_checkedExtensions = [".cs", ".sh", ".md", ".csproj", ".props", ".targets", ".py", ".json"];

    [Fact]
    public void No_test_script_or_document_points_outside_the_repository()
    {
        var offenders = new List<string>();
        foreach (string file in RepositoryFiles())
        {
            string text = File.ReadAllText(file);
            foreach (string marker in s_outsideMarkers.Where(m => text.Contains(m, StringComparison.Ordinal)))
            {
                offenders.Add($"{Path.GetRelativePath(RepositoryPaths.Root, file)}: {marker}");
            }
        }

        Assert.True(offenders.Count == 0, string.Join('\n', offenders));
    }

    [Fact]
    public void The_published_vectors_are_in_the_repository()
    {
        Assert.StartsWith(Path.Combine(RepositoryPaths.Root, "tests", "Vectors"), RepositoryPaths.PublicVectors, StringComparison.Ordinal);
        Assert.True(File.Exists(RepositoryPaths.PublicVectors));
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "tests", "Vectors", "README.md")));
    }

    private static IEnumerable<string> RepositoryFiles()
    {
        var pending = new Stack<string>([RepositoryPaths.Root]);
        while (pending.Count > 0)
        {
            string directory = pending.Pop();
            foreach (string sub in System.IO.Directory.GetDirectories(directory))
            {
                string name = Path.GetFileName(sub);
                if (name is not (".git" or "bin" or "obj" or "artifacts" or "BenchmarkDotNet.Artifacts"))
                {
                    pending.Push(sub);
                }
            }

            foreach (string file in System.IO.Directory.GetFiles(directory).Where(f => s_checkedExtensions.Contains(Path.GetExtension(f))))
            {
                yield return file;
            }
        }
    }
}
