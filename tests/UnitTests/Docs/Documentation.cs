using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Docs;

/// <summary>The Markdown files a reader of the repository is pointed to, which the documentation tests check.</summary>
internal static class Documentation
{
    private static readonly Lazy<IReadOnlyList<MarkdownDocument>> s_all = new(Load);

    /// <summary>README.md, every docs/*.md and the READMEs of samples/, benchmarks/ and tests/Vectors/.</summary>
    public static IReadOnlyList<MarkdownDocument> All => s_all.Value;

    /// <summary>The paths of <see cref="All"/>, for theories.</summary>
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        foreach (MarkdownDocument document in All)
        {
            data.Add(document.RelativePath);
        }

        return data;
    }

    /// <summary>The document at a repository-relative path.</summary>
    public static MarkdownDocument Get(string relativePath) => All.Single(d => d.RelativePath == relativePath);

    private static List<MarkdownDocument> Load()
    {
        var paths = new List<string> { "README.md", "samples/README.md", "benchmarks/README.md", "tests/Vectors/README.md" };
        paths.AddRange(System.IO.Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md")
            .Select(p => "docs/" + Path.GetFileName(p))
            .Order(StringComparer.Ordinal));
        return [.. paths.Select(MarkdownDocument.Load)];
    }
}
