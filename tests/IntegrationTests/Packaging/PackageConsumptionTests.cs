using PasswordHashSync.TestSupport;

namespace PasswordHashSync.IntegrationTests.Packaging;

/// <summary>
/// A fresh console project, outside the repository and isolated from its build files, installs the packed
/// package by version and runs; the NT hash it prints must be the MS-NLMP 4.2.2.1.2 value.
/// </summary>
[Collection(PackagingTestGroup.Name)]
public sealed class PackageConsumptionTests(PackedPackageFixture package)
{
    [Fact]
    public void Fresh_console_app_installs_the_package_and_prints_the_MS_NLMP_NT_hash_of_Password()
    {
        string app = Path.Combine(package.WorkDirectory, "consumer", "App");
        System.IO.Directory.CreateDirectory(app);
        string root = Path.GetDirectoryName(app)!;

        // Stop MSBuild's upward search for Directory.Build.*/Directory.Packages.props here, pin the repository's SDK
        // band, and restore only from the temporary feed plus nuget.org.
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />\n");
        File.Copy(Path.Combine(RepositoryPaths.Root, "global.json"), Path.Combine(root, "global.json"));
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="phs-test-feed" value="{package.FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
            </configuration>
            """);

        // A hang, not a slow host, is what the limit catches: restore and build of the app share a loaded 2-core CI
        // machine with Samba DCs of parallel test collections.
        TimeSpan limit = TimeSpan.FromMinutes(10);
        PackedPackageFixture.Run(package.Dotnet, ["new", "console", "--framework", "net10.0", "--name", "App", "--output", app, "--no-restore"], root, limit);
        PackedPackageFixture.Run(package.Dotnet, ["add", "package", "PasswordHashSync", "--version", package.Version], app, limit);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using PasswordHashSync;

            Console.WriteLine(Convert.ToHexStringLower(NtHash.Compute("Password")));
            """);

        string output = PackedPackageFixture.Run(package.Dotnet, ["run", "-c", "Release"], app, limit);

        Assert.Equal("a4f49c406510bdcab6824ee7c30fd852", output.Trim());
        string assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains($"\"PasswordHashSync/{package.Version}\"", assets, StringComparison.Ordinal);
    }
}
