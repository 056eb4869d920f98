using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Directory;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Rpc;
using PasswordHashSync.Sync;
using static PasswordHashSync.UnitTests.SyncUsers;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>
/// The agent's DomainController source settings: validation with one clear line per problem, the password never from
/// the JSON file, the password file refused when its group or others may read it, and the replication library's
/// refusals mapped onto the engine's documented events (1011 access denied, 1010 unreachable).
/// </summary>
public sealed class AgentDomainControllerSourceTests : IDisposable
{
    private const string Dc = "Agent:Source:DomainController:";
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("phs-agent-dc-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    [Fact]
    public void MissingSettings_AreEachNamed()
    {
        AgentOptions options = Bind(new() { ["Agent:Source:Kind"] = "DomainController" });

        List<string> problems = options.Validate();

        Assert.Contains(problems, p => p.StartsWith(Dc + "Host is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Dc + "Domain is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Dc + "User is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Dc + "PasswordFile is missing", StringComparison.Ordinal) && p.Contains(DomainControllerSourceOptions.PasswordEnvironmentVariable, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("LdifPath", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dc1:0", "port must be a number from 1 to 65535")]
    [InlineData("dc1:65536", "port must be a number from 1 to 65535")]
    [InlineData("dc1:x", "port must be a number from 1 to 65535")]
    [InlineData("dc 1", "HOST, HOST:PORT or [IPv6]:PORT")]
    [InlineData("[::1", "HOST, HOST:PORT or [IPv6]:PORT")]
    [InlineData(":135", "HOST, HOST:PORT or [IPv6]:PORT")]
    public void BadHost_IsRefusedWithTheForm(string host, string expected)
    {
        List<string> problems = Bind(Valid(("Host", host))).Validate();

        Assert.StartsWith(Dc + "Host is '" + host + "': ", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Contains(expected, problems[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dc1.corp.example.com", "dc1.corp.example.com", null)]
    [InlineData("127.25.0.1:49152", "127.25.0.1", 49152)]
    [InlineData("[::1]:1024", "::1", 1024)]
    [InlineData("::1", "::1", null)]
    public void GoodHost_GivesTheReplicationOptions(string host, string expectedHost, int? expectedPort)
    {
        AgentOptions options = Bind(Valid(("Host", host), ("Domain", "Corp.Example.com.")));
        Assert.Empty(options.Validate());

        DrsReplicationOptions replication = options.DomainController.ToReplicationOptions();

        Assert.Equal(expectedHost, replication.DomainController);
        Assert.Equal(expectedPort, replication.Port);
        Assert.Equal("DC=Corp,DC=Example,DC=com", replication.DomainNamingContext);
    }

    [Theory]
    [InlineData("svc", "svc", "corp.example.com")]
    [InlineData("CORP\\svc", "svc", "CORP")]
    [InlineData("svc@corp.example.com", "svc", "corp.example.com")]
    public void User_IsSplitLikeTheCommandLine(string user, string name, string domain)
    {
        AgentOptions options = Bind(Valid(("User", user)));
        Assert.Empty(options.Validate());
        Assert.Equal((name, domain), options.DomainController.SplitUser());
    }

    [Fact]
    public void BadDomainAndUser_AreRefused()
    {
        List<string> problems = Bind(Valid(("Domain", "corp..example"), ("User", "CORP\\"))).Validate();

        Assert.Contains(problems, p => p.StartsWith(Dc + "Domain is 'corp..example': it must be a DNS domain name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Dc + "User is 'CORP\\': it must be USER, DOMAIN\\USER or USER@DOMAIN", StringComparison.Ordinal));
    }

    [Fact]
    public void PasswordInTheJsonFile_IsRefused_ButFromTheEnvironmentItIsTaken()
    {
        string json = Path.Combine(_directory, "agent.json");
        File.WriteAllText(json, """
            { "Agent": { "StatePath": "s.json", "OutboxDirectory": "o", "Source": { "Kind": "DomainController",
              "DomainController": { "Host": "dc1", "Domain": "corp.example.com", "User": "svc", "Password": "Secret-In-File-1" } } } }
            """);
        IConfigurationRoot fromFile = new ConfigurationBuilder().AddJsonFile(json).Build();

        string problem = Assert.Single(AgentOptions.Bind(fromFile).Validate());
        Assert.StartsWith(Dc + "Password is in the configuration file: a password never goes there.", problem, StringComparison.Ordinal);
        Assert.Contains(DomainControllerSourceOptions.PasswordEnvironmentVariable, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-In-File-1", problem, StringComparison.Ordinal);

        // What PWSYNC_Agent__Source__DomainController__Password becomes: accepted, and the credential is made from it.
        Dictionary<string, string?> environment = Valid(("Password", "Secret-In-Env-1"));
        environment.Remove(Dc + "PasswordFile");
        AgentOptions options = Bind(environment);
        Assert.Empty(options.Validate());
        using ReplicationCredential credential = DomainControllerCredentialReader.Create(options.DomainController);
        Assert.Equal("corp.example.com\\svc", credential.ToString());

        // Both ways at once is ambiguous.
        Assert.Contains("are both set", Assert.Single(Bind(Valid(("Password", "x"))).Validate()), StringComparison.Ordinal);
        Assert.Equal("PWSYNC_Agent__Source__DomainController__Password", DomainControllerSourceOptions.PasswordEnvironmentVariable);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherWrite, "0402")]
    public void PasswordFile_ReadableOrWritableByOthers_IsRefused(UnixFileMode mode, string octal)
    {
        string file = PasswordFile("Dc-Pa55word\n", mode);

        DataException e = Assert.Throws<DataException>(() => DomainControllerCredentialReader.Create(Bind(Valid(("PasswordFile", file))).DomainController));

        Assert.Contains($"the password file {file} may be read or written by its group or others (mode {octal})", e.Message, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 '{file}'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Dc-Pa55word", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead)]
    public void PasswordFile_OnlyTheOwnerMayRead_IsTaken(UnixFileMode mode)
    {
        string file = PasswordFile("Dc-Pa55word\r\n", mode);

        using ReplicationCredential credential = DomainControllerCredentialReader.Create(Bind(Valid(("PasswordFile", file), ("User", "CORP\\svc"))).DomainController);

        Assert.Equal("CORP\\svc", credential.ToString());
    }

    [Fact]
    public void PasswordFile_MissingOrEmpty_IsAClearConfigurationError()
    {
        string missing = Path.Combine(_directory, "absent");
        DataException absent = Assert.Throws<DataException>(() => DomainControllerCredentialReader.Create(Bind(Valid(("PasswordFile", missing))).DomainController));
        Assert.StartsWith($"cannot read the password file {missing} (Agent:Source:DomainController:PasswordFile)", absent.Message, StringComparison.Ordinal);

        string empty = PasswordFile("\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        DataException e = Assert.Throws<DataException>(() => DomainControllerCredentialReader.Create(Bind(Valid(("PasswordFile", empty))).DomainController));
        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplicationFailures_MapOntoTheEnginesFailureKinds()
    {
        var denied = new ReplicationAccessDeniedException(ReplicationRights.GetChangesAll, "the account lacks \"Replicating Directory Changes All\"");
        Exception mapped = DomainControllerChangeSource.Translate(denied)!;
        Assert.IsType<UnauthorizedAccessException>(mapped);
        Assert.Same(denied, mapped.InnerException);
        Assert.Equal(denied.Message, mapped.Message);

        Assert.IsType<UnauthorizedAccessException>(DomainControllerChangeSource.Translate(new RpcAuthenticationException("wrong password")));
        Assert.IsType<IOException>(DomainControllerChangeSource.Translate(new ReplicationConnectivityException("port closed")));
        Assert.Null(DomainControllerChangeSource.Translate(new ReplicationException("malformed reply")));
    }

    // The runner's event for a source that throws what DomainControllerChangeSource throws on a missing right.
    [Fact]
    public async Task MissingReplicationRight_IsLoggedAsEvent1011_NamingTheRight()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var denied = new ReplicationAccessDeniedException(ReplicationRights.GetChangesAll, "The domain controller refused replication to CORP\\svc: the account lacks \"Replicating Directory Changes All\" on DC=corp.");
        var source = new ThrowingSource(DomainControllerChangeSource.Translate(denied)!);
        var store = new InMemorySyncStateStore();
        var runner = new PasswordSyncRunner(source, new RecordingPasswordHashExporter(), store, new SyncPlanner(new SyncFakeKerberosKeyExtractor()), new PasswordHashSyncSettings(), new SyncManualTimeProvider(T0), null, factory.CreateLogger<PasswordSyncRunner>());

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => runner.RunCycleAsync());

        CapturedLogEvent e = Assert.Single(logs.Events, e => e.Level >= LogLevel.Error);
        Assert.Equal(1011, e.EventId.Id);
        Assert.Equal("ReplicationAccessDenied", e.EventId.Name);
        Assert.Contains("lacks \"Replicating Directory Changes All\"", e.Message, StringComparison.Ordinal);
        SyncState state = await store.LoadAsync();
        Assert.Null(state.Watermark);
        Assert.Contains("Replicating Directory Changes All", Assert.Single(state.RecentErrors).Message, StringComparison.Ordinal);
    }

    private static AgentOptions Bind(Dictionary<string, string?> values) =>
        AgentOptions.Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    private static Dictionary<string, string?> Valid(params (string Key, string Value)[] overrides)
    {
        var values = new Dictionary<string, string?>
        {
            ["Agent:StatePath"] = "/tmp/s.json",
            ["Agent:OutboxDirectory"] = "/tmp/o",
            ["Agent:Source:Kind"] = "DomainController",
            [Dc + "Host"] = "dc1.corp.example.com",
            [Dc + "Domain"] = "corp.example.com",
            [Dc + "User"] = "svc",
            [Dc + "PasswordFile"] = "/run/credentials/pwsync-agent.service/dc-password",
        };
        foreach ((string key, string value) in overrides)
        {
            values[Dc + key] = value;
        }

        return values;
    }

    private string PasswordFile(string content, UnixFileMode mode)
    {
        string path = Path.Combine(_directory, "dc-password-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The password file check is on Unix file modes; Windows protects the file with its ACL.");
        }

        File.SetUnixFileMode(path, mode);
        return path;
    }

    private sealed class ThrowingSource(Exception error) : IDirectoryChangeSource
    {
        public ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken) => throw error;

        public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken) => throw error;

        public ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken) => throw error;

        public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (error is not null)
            {
                throw error;
            }

            yield break;
        }
    }
}
