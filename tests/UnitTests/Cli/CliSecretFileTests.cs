using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PasswordHashSync.Cli;
using PasswordHashSync.Cli.Output;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// Secret files (issue 13, items 1 and 2): <c>keytab --output</c> and <c>sync --output</c> (with the managed domain's
/// NT hashes and Kerberos keys) are created 0600, replace an existing 0644 file with a 0600 one, refuse a symbolic link
/// without touching what it points to, and are atomic: a failure before the rename, or a killed process, leaves the
/// previous file, never a torn one.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CliSecretFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const string VictimText = "victim: must stay as it is\n";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phs-cli-secret-" + Guid.NewGuid().ToString("N"));
    private readonly string _managed;

    public CliSecretFileTests()
    {
        System.IO.Directory.CreateDirectory(_folder);
        _managed = Path.Combine(_folder, "managed.json");
        File.WriteAllText(_managed, "{\"managedDomainEnabled\": true}");
    }

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    private static CliRunner.Outcome Keytab(string output) =>
        CliRunner.Run("Pa$$w0rd", "keytab", "--principal", "alice@EXAMPLE.COM", "--output", output, "--password-stdin");

    private CliRunner.Outcome ManagedSync(string output) => CliRunner.Run(string.Empty, "sync", "--settings", _managed, "--output", output);

    private string[] StrayFiles(string name) => System.IO.Directory.GetFiles(_folder, "." + name + ".*.tmp");

    [Fact]
    public void A_new_keytab_is_0600()
    {
        string keytab = Path.Combine(_folder, "new.keytab");
        Assert.Equal(0, Keytab(keytab).ExitCode);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(keytab));
        Assert.Equal(0x05, File.ReadAllBytes(keytab)[0]);
    }

    [Fact]
    public void A_keytab_written_over_an_existing_0644_file_ends_up_0600()
    {
        string keytab = Path.Combine(_folder, "old.keytab");
        File.WriteAllText(keytab, "old content");
        File.SetUnixFileMode(keytab, WorldReadable);

        Assert.Equal(0, Keytab(keytab).ExitCode);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(keytab));
        Assert.Equal([0x05, 0x02], File.ReadAllBytes(keytab)[..2]);
        Assert.Empty(StrayFiles("old.keytab"));
    }

    [Fact]
    public void Managed_domain_sync_records_are_0600_also_over_an_existing_0644_file()
    {
        string records = Path.Combine(_folder, "records.jsonl");
        Assert.Equal(0, ManagedSync(records).ExitCode);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(records));
        Assert.Contains("\"ntHash\":", File.ReadAllText(records), StringComparison.Ordinal);

        File.SetUnixFileMode(records, WorldReadable);
        CliRunner.Outcome again = ManagedSync(records);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(records));
        Assert.Contains("(mode 0600: it holds NT hashes and Kerberos keys)", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_keytab_output_that_is_a_symbolic_link_is_refused_and_the_victim_is_untouched()
    {
        string victim = Path.Combine(_folder, "victim.txt");
        File.WriteAllText(victim, VictimText);
        File.SetUnixFileMode(victim, WorldReadable);
        string link = Path.Combine(_folder, "link.keytab");
        File.CreateSymbolicLink(link, victim);

        CliRunner.Outcome result = Keytab(link);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"--output {link} is a symbolic link", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(VictimText, File.ReadAllText(victim));
        Assert.Equal(WorldReadable, File.GetUnixFileMode(victim));
        Assert.Equal(victim, new FileInfo(link).LinkTarget);
        Assert.Empty(StrayFiles("link.keytab"));
    }

    [Fact]
    public void A_sync_output_that_is_a_symbolic_link_even_a_dangling_one_is_refused()
    {
        string victim = Path.Combine(_folder, "victim.jsonl");
        File.WriteAllText(victim, VictimText);
        string link = Path.Combine(_folder, "records.jsonl");
        File.CreateSymbolicLink(link, victim);
        string dangling = Path.Combine(_folder, "dangling.jsonl");
        File.CreateSymbolicLink(dangling, Path.Combine(_folder, "not-yet-there.jsonl"));

        Assert.Equal(3, ManagedSync(link).ExitCode);
        Assert.Equal(3, ManagedSync(dangling).ExitCode);

        Assert.Equal(VictimText, File.ReadAllText(victim));
        Assert.False(File.Exists(Path.Combine(_folder, "not-yet-there.jsonl")));
    }

    [Fact]
    public void A_failure_between_write_and_rename_keeps_the_previous_file_and_leaves_no_temporary_file()
    {
        string records = Path.Combine(_folder, "records.jsonl");
        Assert.Equal(0, ManagedSync(records).ExitCode);
        byte[] previous = File.ReadAllBytes(records);
        UnixFileMode? temporaryMode = null;
        int temporaryLines = 0;
        SecretFileWriter.BeforeRenameForTesting = temporary =>
        {
            temporaryMode = File.GetUnixFileMode(temporary);
            temporaryLines = File.ReadAllLines(temporary).Length;
            throw new IOException("injected failure before the rename");
        };
        CliRunner.Outcome result;
        try
        {
            result = ManagedSync(records);
        }
        finally
        {
            SecretFileWriter.BeforeRenameForTesting = null;
        }

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("injected failure before the rename", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly, temporaryMode);
        Assert.Equal(12, temporaryLines);
        Assert.Equal(previous, File.ReadAllBytes(records));
        Assert.Empty(StrayFiles("records.jsonl"));
    }

    [Fact]
    public void A_sync_killed_mid_write_leaves_the_previous_file_or_the_complete_new_one_never_a_torn_one()
    {
        const int users = 2000;
        string ldif = Path.Combine(_folder, "big.ldif");
        WriteExport(ldif, users);
        string records = Path.Combine(_folder, "records.jsonl");
        string pwsync = typeof(CliApplication).Assembly.Location;

        Assert.Equal(0, RunToEnd(pwsync, ldif, records));
        byte[] current = File.ReadAllBytes(records);
        AssertComplete(current, users);

        var random = new Random(20261203);
        for (int attempt = 0; attempt < 6; attempt++)
        {
            using Process process = Start(pwsync, ldif, records);
            // Wait until the temporary file exists (the run is writing) or a bounded random time, then kill (SIGKILL).
            var clock = Stopwatch.StartNew();
            int budgetMs = random.Next(300, 3000);
            while (!process.HasExited && clock.ElapsedMilliseconds < budgetMs && StrayFiles("records.jsonl").Length == 0)
            {
                Thread.Sleep(5);
            }
            Thread.Sleep(random.Next(0, 150));
            if (!process.HasExited)
            {
                process.Kill();
            }
            process.WaitForExit();

            byte[] after = File.ReadAllBytes(records);
            if (!after.AsSpan().SequenceEqual(current))
            {
                // The run finished (renamed) before the kill: then the file must be the whole new one.
                AssertComplete(after, users);
                current = after;
            }
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(records));
            foreach (string stray in StrayFiles("records.jsonl"))
            {
                // A kill before the rename may leave pwsync's temporary file: owner-only too.
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(stray));
                File.Delete(stray);
            }
        }
    }

    private static void AssertComplete(byte[] file, int users)
    {
        string[] lines = Encoding.UTF8.GetString(file).Split('\n');
        Assert.Equal(users + 1, lines.Length);
        Assert.Equal(string.Empty, lines[^1]);
        foreach (string line in lines[..^1])
        {
            using JsonDocument record = JsonDocument.Parse(line);
            Assert.StartsWith("v1;PPH1_MD4,", record.RootElement.GetProperty("digest").GetString(), StringComparison.Ordinal);
        }
    }

    private Process Start(string pwsync, string ldif, string records)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { pwsync, "sync", "--input", ldif, "--settings", _managed, "--output", records })
        {
            start.ArgumentList.Add(argument);
        }
        Process process = Process.Start(start)!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        return process;
    }

    private int RunToEnd(string pwsync, string ldif, string records)
    {
        using Process process = Start(pwsync, ldif, records);
        process.WaitForExit();
        return process.ExitCode;
    }

    private static void WriteExport(string path, int users)
    {
        var text = new StringBuilder();
        byte[] hash = new byte[16];
        for (int i = 0; i < users; i++)
        {
            string name = "user" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            System.Security.Cryptography.RandomNumberGenerator.Fill(hash);
            text.Append("dn: CN=").Append(name).Append(",CN=Users,DC=adatum,DC=com\n")
                .Append("objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: user\n")
                .Append("cn: ").Append(name).Append('\n')
                .Append("objectGUID: ").Append(Guid.NewGuid()).Append('\n')
                .Append("sAMAccountName: ").Append(name).Append('\n')
                .Append("userAccountControl: 512\npwdLastSet: 134399328144554110\n")
                .Append("unicodePwd:: ").Append(Convert.ToBase64String(hash)).Append("\n\n");
        }
        File.WriteAllText(path, text.ToString());
    }
}
