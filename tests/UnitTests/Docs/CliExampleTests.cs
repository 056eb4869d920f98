using System.Text;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Docs;

/// <summary>
/// The examples change the process's current directory (pwsync resolves relative paths against it), so they run
/// alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CurrentDirectoryChangers
{
    public const string Name = "Tests that change the current directory";
}

/// <summary>
/// Every <c>```console</c> example of the documents is run against the real pwsync, and what it prints must be the
/// output the document shows. Each block runs in a fresh folder holding a copy of <c>samples/</c> and the files the
/// document shows as <c>```lang file=NAME</c> blocks.
/// </summary>
/// <remarks>
/// After a deliberate change of pwsync's output, <c>PHS_REFRESH_DOC_EXAMPLES=1 dotnet test tests/UnitTests -c Release
/// --filter FullyQualifiedName~CliExampleTests</c> writes the real output into the documents instead of failing;
/// review the diff before committing it.
/// </remarks>
[Collection(CurrentDirectoryChangers.Name)]
public class CliExampleTests
{
    private static readonly bool s_refresh = Environment.GetEnvironmentVariable("PHS_REFRESH_DOC_EXAMPLES") == "1";

    public static TheoryData<string> DocumentsWithExamples()
    {
        var data = new TheoryData<string>();
        foreach (MarkdownDocument document in Documentation.All.Where(d => d.Blocks.Any(b => b.Language == "console")))
        {
            data.Add(document.RelativePath);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentsWithExamples))]
    public void Every_console_example_prints_what_the_document_shows(string path)
    {
        MarkdownDocument document = MarkdownDocument.Load(path);
        var mismatches = new List<string>();
        var refreshed = new List<(FencedBlock Block, string Text)>();
        foreach (FencedBlock block in document.Blocks.Where(b => b.Language == "console"))
        {
            var actual = new StringBuilder();
            int exitCode = 0;
            string scratch = PrepareFolder(document);
            string previous = Environment.CurrentDirectory;
            try
            {
                Environment.CurrentDirectory = scratch;
                foreach (CliExampleStep step in CliExample.Parse(block))
                {
                    string output = CliExample.Run(step.Command, ref exitCode);
                    actual.Append(step.Written).Append(output);
                    if (output != step.ExpectedOutput)
                    {
                        mismatches.Add($"{path}, block at line {block.LineNumber}: $ {step.Command}\n--- shown ---\n{step.ExpectedOutput}--- printed ---\n{output}");
                    }
                }
            }
            finally
            {
                Environment.CurrentDirectory = previous;
                System.IO.Directory.Delete(scratch, recursive: true);
            }

            refreshed.Add((block, actual.ToString()));
        }

        if (s_refresh && mismatches.Count > 0)
        {
            Rewrite(document, refreshed);
            return;
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void The_cli_page_has_examples_of_every_command()
    {
        // If the parser stopped finding the examples, the theory above would pass without running any.
        string[] commands = ["nthash", "lmhash", "kerberos", "digest", "verify", "keytab", "sync", "diagnose", "batch"];
        var run = Documentation.Get("docs/cli.md").Blocks
            .Where(b => b.Language == "console")
            .SelectMany(CliExample.Parse)
            .Select(s => CliExample.Split(s.Command))
            .Select(words => words.SkipWhile(w => w != "pwsync").Skip(1).FirstOrDefault())
            .ToHashSet();
        Assert.All(commands, c => Assert.Contains(c, run));
    }

    [Fact]
    public void No_untested_example_hides_in_another_kind_of_block()
    {
        // A "$ pwsync" line outside a console block would be shown output that no test produced.
        var hidden = Documentation.All
            .SelectMany(d => d.Blocks.Where(b => b.Language != "console" && b.Text.Split('\n').Any(l => l.StartsWith("$ ", StringComparison.Ordinal)))
                .Select(b => $"{d.RelativePath}:{b.LineNumber}"))
            .ToList();
        Assert.True(hidden.Count == 0, "command lines outside ```console blocks: " + string.Join(", ", hidden));
    }

    [Fact]
    public void The_shell_subset_refuses_what_it_cannot_run()
    {
        int code = 0;
        Assert.Throws<FormatException>(() => CliExample.Run("klist -k alice.keytab", ref code));
        Assert.Throws<FormatException>(() => CliExample.Run("printf %s \"$PASSWORD\" | pwsync nthash --password-stdin", ref code));
        Assert.Equal(["printf", "%s", "Pa$$w0rd", "|", "pwsync", "nthash"], CliExample.Split("printf %s 'Pa$$w0rd' | pwsync nthash"));
        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852\n", CliExample.Run("printf %s 'Password' | pwsync nthash --password-stdin", ref code));
        Assert.Equal("0\n", CliExample.Run("echo $?", ref code));
    }

    private static string PrepareFolder(MarkdownDocument document)
    {
        string scratch = Path.Combine(Path.GetTempPath(), "phs-doc-example-" + Guid.NewGuid().ToString("N"));
        string samples = Path.Combine(scratch, "samples");
        System.IO.Directory.CreateDirectory(samples);
        foreach (string file in System.IO.Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "samples")))
        {
            File.Copy(file, Path.Combine(samples, Path.GetFileName(file)));
        }

        foreach (FencedBlock block in document.Blocks)
        {
            if (block.Attributes.TryGetValue("file", out string? name))
            {
                if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
                {
                    throw new FormatException($"{document.RelativePath}:{block.LineNumber}: file={name} must be a plain file name");
                }

                File.WriteAllText(Path.Combine(scratch, name), block.Text);
            }
        }

        return scratch;
    }

    private static void Rewrite(MarkdownDocument document, List<(FencedBlock Block, string Text)> blocks)
    {
        var lines = document.Lines.ToList();
        foreach ((FencedBlock block, string text) in blocks.OrderByDescending(b => b.Block.OpeningLine))
        {
            lines.RemoveRange(block.OpeningLine + 1, block.ClosingLine - block.OpeningLine - 1);
            lines.InsertRange(block.OpeningLine + 1, text.TrimEnd('\n').Split('\n'));
        }

        File.WriteAllText(document.FullPath, string.Join('\n', lines));
    }
}
