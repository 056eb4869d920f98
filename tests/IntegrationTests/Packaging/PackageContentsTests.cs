using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Packaging;

/// <summary>What `dotnet pack` puts in the NuGet package and the symbol package.</summary>
[Collection(PackagingTestGroup.Name)]
public sealed class PackageContentsTests(PackedPackageFixture package)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void Package_holds_the_library_its_docs_readme_and_license()
    {
        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);
        string[] names = [.. zip.Entries.Select(e => e.FullName)];

        Assert.Contains("lib/net10.0/PasswordHashSync.dll", names);
        Assert.Contains("lib/net10.0/PasswordHashSync.xml", names);
        Assert.Contains("README.md", names);
        Assert.Contains("LICENSE", names);
        Assert.DoesNotContain(names, n => n.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "LICENSE")), ReadEntry(zip, "LICENSE"));
    }

    [Fact]
    public void Nuspec_has_the_metadata_nuget_org_shows()
    {
        using ZipArchive zip = ZipFile.OpenRead(package.PackagePath);
        XElement metadata = XDocument.Parse(ReadEntry(zip, "PasswordHashSync.nuspec")).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("PasswordHashSync", Value("id"));
        Assert.Equal(package.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Contains("kerberos", Value("tags").Split(' '));
        Assert.Contains("nt-hash", Value("tags").Split(' '));

        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.StartsWith("https://github.com/", (string?)repository.Attribute("url"), StringComparison.Ordinal);
        Assert.Equal(package.Commit, (string?)repository.Attribute("commit"));

        string[] dependencies = [.. metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!)];
        Assert.Equal(["BouncyCastle.Cryptography", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Logging.Abstractions"], dependencies.Order());
    }

    [Fact]
    public void Symbol_package_pdb_has_SourceLink_to_the_built_commit_and_deterministic_paths()
    {
        using ZipArchive zip = ZipFile.OpenRead(package.SymbolPackagePath);
        ZipArchiveEntry pdbEntry = Assert.Single(zip.Entries, e => e.FullName == "lib/net10.0/PasswordHashSync.pdb");
        using var pdb = new MemoryStream();
        using (Stream stream = pdbEntry.Open())
        {
            stream.CopyTo(pdb);
        }

        pdb.Position = 0;
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        MetadataReader reader = provider.GetMetadataReader();
        string sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(cdi => reader.GetGuid(cdi.Kind) == SourceLinkKind)
            .Select(cdi => Encoding.UTF8.GetString(reader.GetBlobBytes(cdi.Value)))
            .Single();
        string[] documents = [.. reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name))];

        Assert.Contains("https://raw.githubusercontent.com/", sourceLink, StringComparison.Ordinal);
        Assert.Contains($"/{package.Commit}/*", sourceLink, StringComparison.Ordinal);
        // Sources from the repository are mapped to /_/ so the pdb does not depend on the clone's location. (The
        // fixture builds in a temporary artifacts folder, whose generated files legitimately keep their paths.)
        Assert.Contains("/_/src/PasswordHashSync/NtHash.cs", documents);
        Assert.DoesNotContain(documents, d => d.StartsWith(RepositoryPaths.Root, StringComparison.Ordinal));
    }

    private static string ReadEntry(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
