namespace PasswordHashSync.UnitTests.Docs;

/// <summary>Every <c>```csharp</c> block of the documents compiles, as pasted into a console project with the named packages.</summary>
public class DocumentationCSharpTests
{
    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (MarkdownDocument document in Documentation.All)
        {
            foreach (FencedBlock block in document.Blocks.Where(b => b.Language is "csharp" or "cs" or "c#"))
            {
                data.Add(document.RelativePath, block.LineNumber);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void CSharp_block_compiles(string path, int line)
    {
        FencedBlock block = Documentation.Get(path).Blocks.Single(b => b.LineNumber == line);
        var errors = CSharpSnippetCompiler.Compile(block.Text, $"{path}:{line}");
        Assert.True(errors.Count == 0, $"{path}, block at line {line}:\n" + string.Join('\n', errors.Select(e => e.ToString())));
    }

    [Fact]
    public void The_documents_have_the_blocks_a_newcomer_copies()
    {
        // The quick start and DI block (docs/quickstart.md, linked from README), the sync run of the engine's page: if
        // the extraction missed them, the theory above would pass without checking anything.
        TheoryData<string, int> blocks = Blocks();
        Assert.True(blocks.Count(b => (string)b[0] == "docs/quickstart.md") >= 2);
        Assert.Contains(blocks, b => (string)b[0] == "docs/sync-engine.md");
    }

    [Fact]
    public void The_compiler_reports_a_broken_block()
    {
        // Guards the compiler itself: a wrong API name must fail, and the DI package must be referenced.
        Assert.NotEmpty(CSharpSnippetCompiler.Compile("using PasswordHashSync;\nbyte[] h = NtHash.ComputeTheHash(\"x\");\n", "broken.cs"));
        Assert.Empty(CSharpSnippetCompiler.Compile(
            "using Microsoft.Extensions.DependencyInjection;\nusing PasswordHashSync;\nusing ServiceProvider p = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();\n",
            "di.cs"));
    }
}
