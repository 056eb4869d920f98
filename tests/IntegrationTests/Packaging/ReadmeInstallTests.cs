using PasswordHashSync.TestSupport;
using PasswordHashSync.UnitTests.Docs;

namespace PasswordHashSync.IntegrationTests.Packaging;

/// <summary>
/// The Install section of docs/quickstart.md (README.md links it), run as written: its three shell blocks pack the packages into <c>~/phs-feed</c>,
/// add them to a fresh console project through a nuget.config, and install pwsync from the same folder. The
/// project then runs that page's dependency-injection block, and the installed pwsync prints the MS-NLMP
/// 4.2.2.1.2 NT hash of "Password". HOME and the NuGet package folder are temporary, so nothing of a previous
/// install is reused and the user's caches are not touched.
/// </summary>
[Collection(PackagingTestGroup.Name)]
public sealed class ReadmeInstallTests(PackedPackageFixture package)
{
    // What a pack needs of the repository besides its top-level files (.editorconfig, Directory.*.props, global.json,
    // README.md, LICENSE): the sources, and the sample directory the tool embeds.
    private static readonly string[] s_sourceFolders = ["src", "samples"];

    [Fact]
    public void README_install_commands_pack_install_from_a_folder_feed_and_run()
    {
        // The step-by-step install moved from README.md (which keeps a two-line summary) to docs/quickstart.md.
        MarkdownDocument readme = MarkdownDocument.Load("docs/quickstart.md");
        int install = Array.IndexOf(readme.Lines, "## Install");
        Assert.True(install >= 0, "docs/quickstart.md has no '## Install' section.");
        int next = Array.FindIndex(readme.Lines, install + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        FencedBlock[] commands = [.. readme.Blocks.Where(b => b.Language == "sh" && b.OpeningLine > install && b.OpeningLine < next)];
        Assert.True(commands.Length == 3, $"expected the pack, project and tool blocks in docs/quickstart.md's Install section, found {commands.Length}");
        FencedBlock registration = readme.Blocks.Single(b => b.Language == "csharp" && b.Text.Contains("new ServiceCollection()", StringComparison.Ordinal));

        string work = System.IO.Directory.CreateTempSubdirectory("phs-readme-install-").FullName;
        try
        {
            string repository = Path.Combine(work, "repo");
            CopySources(repository);
            string program = Path.Combine(work, "Program.cs");
            File.WriteAllText(program, registration.Text);
            string script = string.Join(
                "\n",
                "set -euo pipefail",
                $"cd '{repository}'",
                commands[0].Text,
                "mkdir -p ~/app && cd ~/app && dotnet new console --framework net10.0",
                commands[1].Text,
                $"cp '{program}' Program.cs && dotnet run -c Release",
                "grep -o '\"PasswordHashSync[.A-Za-z]*/[^\"]*\"' obj/project.assets.json | sort -u",
                commands[2].Text,
                "printf %s 'Password' | pwsync nthash --password-stdin");

            string dotnet = package.Dotnet;
            var environment = new Dictionary<string, string>
            {
                ["HOME"] = Path.Combine(work, "home"),
                ["NUGET_PACKAGES"] = Path.Combine(work, "nuget-packages"),
                ["PATH"] = Path.GetDirectoryName(dotnet) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            };
            System.IO.Directory.CreateDirectory(environment["HOME"]);
            string output = PackedPackageFixture.Run(
                ExternalTool.Require("bash", "bash"), ["-c", script], work, TimeSpan.FromMinutes(12), environment);

            string[] lines = output.TrimEnd().Split('\n');
            Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", lines[^1].Trim());
            Assert.Contains(lines, l => l.StartsWith("\"PasswordHashSync/", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("\"PasswordHashSync.Replication/", StringComparison.Ordinal));
        }
        finally
        {
            PackedPackageFixture.TryDelete(work);
        }
    }

    private static void CopySources(string destination)
    {
        System.IO.Directory.CreateDirectory(destination);
        foreach (string file in System.IO.Directory.GetFiles(RepositoryPaths.Root))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string folder in s_sourceFolders)
        {
            CopyTree(Path.Combine(RepositoryPaths.Root, folder), Path.Combine(destination, folder));
        }
    }

    private static void CopyTree(string source, string destination)
    {
        System.IO.Directory.CreateDirectory(destination);
        foreach (string file in System.IO.Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string folder in System.IO.Directory.GetDirectories(source).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            CopyTree(folder, Path.Combine(destination, Path.GetFileName(folder)));
        }
    }
}
