using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Docs;

/// <summary>Every relative link in the documents names a file of the repository and, when it has one, a heading of it.</summary>
public class DocumentationLinkTests
{
    public static TheoryData<string> Documents => Documentation.Paths();

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_resolves_inside_the_repository(string path)
    {
        MarkdownDocument document = Documentation.Get(path);
        string root = Path.GetFullPath(RepositoryPaths.Root);
        var broken = new List<string>();
        foreach (MarkdownLink link in document.Links)
        {
            if (link.Target.Contains("://", StringComparison.Ordinal) || link.Target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            int hash = link.Target.IndexOf('#', StringComparison.Ordinal);
            string file = hash < 0 ? link.Target : link.Target[..hash];
            string? anchor = hash < 0 ? null : link.Target[(hash + 1)..];
            string target = file.Length == 0
                ? document.FullPath
                : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document.FullPath)!, Uri.UnescapeDataString(file)));
            if (Path.IsPathRooted(file) || !target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                broken.Add($"line {link.LineNumber}: {link.Target} points outside the repository");
            }
            else if (!File.Exists(target) && !System.IO.Directory.Exists(target))
            {
                broken.Add($"line {link.LineNumber}: {link.Target} names no file");
            }
            else if (anchor is not null)
            {
                if (!target.EndsWith(".md", StringComparison.Ordinal))
                {
                    broken.Add($"line {link.LineNumber}: {link.Target} has an anchor on a file that is not Markdown");
                }
                else if (!MarkdownDocument.Load(Path.GetRelativePath(root, target)).Anchors.Contains(anchor))
                {
                    broken.Add($"line {link.LineNumber}: {link.Target} names no heading of {Path.GetRelativePath(root, target)}");
                }
            }
        }

        Assert.True(broken.Count == 0, $"{path}:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void The_link_checker_finds_links_and_GitHub_anchors()
    {
        // Guards the checker itself: a README without links or headings would make the theory above vacuous.
        MarkdownDocument readme = Documentation.Get("README.md");
        Assert.Contains(readme.Links, l => l.Target == "docs/cli.md#sync");
        Assert.Contains("the-two-commands", readme.Anchors);
        Assert.Contains("quick-start", Documentation.Get("docs/quickstart.md").Anchors);
        Assert.Equal("the-json-lines-batch-contract-pwsync-batch", MarkdownDocument.Slug("The JSON-lines batch contract: `pwsync batch`"));
        Assert.Equal("decisions-for-the-bundled-samba-sample-samplesdirectoryldif", MarkdownDocument.Slug("Decisions for the bundled Samba sample (`samples/directory.ldif`)"));
    }

    [Fact]
    public void README_fits_on_a_page()
    {
        // The brief: "a README that fits on a page, with the rest in docs/, one file per topic" (about 60-80 lines).
        int lines = Documentation.Get("README.md").Lines.Length;
        Assert.True(lines <= 80, $"README.md has {lines} lines; move the detail into the docs/ file of its topic.");
    }

    [Fact]
    public void README_indexes_every_document()
    {
        // One line per docs/ file in README's index: a new document nobody can find from the front page fails here.
        MarkdownDocument readme = Documentation.Get("README.md");
        string[] documents = [.. System.IO.Directory.GetFiles(Path.Combine(TestSupport.RepositoryPaths.Root, "docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p)).Order(StringComparer.Ordinal)];
        Assert.NotEmpty(documents);
        string[] missing = [.. documents.Where(d => !readme.Links.Any(l => l.Target == d))];
        Assert.True(missing.Length == 0, "README.md's documentation index lacks: " + string.Join(", ", missing));
    }
}
