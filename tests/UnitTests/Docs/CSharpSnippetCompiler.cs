using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PasswordHashSync.UnitTests.Docs;

/// <summary>
/// Compiles a C# block of the documents in-process with Roslyn, as a reader's <c>dotnet new console</c> project
/// would: implicit usings, nullable on, and references to .NET, the PasswordHashSync packages and
/// Microsoft.Extensions.DependencyInjection (the one extra package the install section names).
/// </summary>
internal static class CSharpSnippetCompiler
{
    // What the SDK's ImplicitUsings gives a console project (Microsoft.NET.Sdk).
    private const string ImplicitUsings =
        "global using global::System;\n" +
        "global using global::System.Collections.Generic;\n" +
        "global using global::System.IO;\n" +
        "global using global::System.Linq;\n" +
        "global using global::System.Net.Http;\n" +
        "global using global::System.Threading;\n" +
        "global using global::System.Threading.Tasks;\n";

    // The packages a reader adds (README, Install); their dependencies come with them in the test output folder.
    private static readonly string[] s_packageAssemblies =
    [
        "PasswordHashSync.dll",
        "PasswordHashSync.Replication.dll",
        "Microsoft.Extensions.DependencyInjection.dll",
        "Microsoft.Extensions.DependencyInjection.Abstractions.dll",
        "Microsoft.Extensions.Logging.Abstractions.dll",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    /// <summary>Compiles one block; returns the errors, empty when it compiles.</summary>
    /// <param name="code">The block's text.</param>
    /// <param name="name">A name for the assembly (the block's place), shown in diagnostics.</param>
    public static IReadOnlyList<Diagnostic> Compile(string code, string name)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree snippet = CSharpSyntaxTree.ParseText(code, options, path: name);
        SyntaxTree usings = CSharpSyntaxTree.ParseText(ImplicitUsings, options, path: "ImplicitUsings.cs");

        // A block with statements is a program (top-level statements); a block of declarations is a library.
        bool isProgram = snippet.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "DocSnippet",
            [usings, snippet],
            s_references.Value,
            new CSharpCompilationOptions(
                isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: false));

        using var output = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(output);
        return [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && IsNullableWarning(d)))];
    }

    // A reader's project has nullable on, so a sample that only compiles with a nullable warning is wrong too.
    private static bool IsNullableWarning(Diagnostic diagnostic) =>
        diagnostic.Id is "CS8600" or "CS8601" or "CS8602" or "CS8603" or "CS8604" or "CS8618" or "CS8625";

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The shared framework the tests run on (System.*.dll, System.Private.CoreLib), then the packages.
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        IEnumerable<string> frameworkAssemblies = System.IO.Directory.GetFiles(framework, "*.dll")
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        IEnumerable<string> packages = s_packageAssemblies.Select(file =>
        {
            string path = Path.Combine(AppContext.BaseDirectory, file);
            return File.Exists(path) ? path : throw new FileNotFoundException($"{file} is not beside the tests; the snippet compiler needs it.", path);
        });

        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (string path in frameworkAssemblies.Concat(packages))
        {
            if (IsManagedAssembly(path))
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        return references.ToImmutable();
    }

    // The framework folder also holds native helpers with a .dll name on some platforms.
    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
