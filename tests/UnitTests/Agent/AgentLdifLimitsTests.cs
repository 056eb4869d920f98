using System.Text;
using Microsoft.Extensions.Configuration;
using PasswordHashSync.Cli.Agent;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests.Agent;

/// <summary>
/// <c>Agent:Source:Ldif</c> (issue 13, item 4): the Ldif source's reader limits, validated with the configuration
/// (exit 3) and enforced by every read of the source.
/// </summary>
public sealed class AgentLdifLimitsTests : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("phs-agent-ldif-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Unset_limits_keep_the_library_defaults()
    {
        LdifReaderOptions limits = Bind([]).Ldif.ToReaderOptions();
        Assert.Equal(LdifReaderOptions.DefaultMaxLineLength, limits.MaxLineLength);
        Assert.Equal(LdifReaderOptions.DefaultMaxValueSize, limits.MaxValueSize);
        Assert.Equal(LdifReaderOptions.DefaultMaxRecordSize, limits.MaxRecordSize);
        Assert.Equal(LdifReaderOptions.DefaultMaxValuesPerAttribute, limits.MaxValuesPerAttribute);
        Assert.Equal(LdifReaderOptions.DefaultMaxAttributesPerRecord, limits.MaxAttributesPerRecord);
    }

    [Fact]
    public void Every_limit_binds_by_its_property_name()
    {
        LdifReaderOptions limits = Bind(new()
        {
            ["Agent:Source:Ldif:MaxLineLength"] = "1000",
            ["Agent:Source:Ldif:MaxValueSize"] = "500",
            ["Agent:Source:Ldif:MaxRecordSize"] = "4294967296",
            ["Agent:Source:Ldif:MaxValuesPerAttribute"] = "7",
            ["Agent:Source:Ldif:MaxAttributesPerRecord"] = "9",
        }).Ldif.ToReaderOptions();
        Assert.Equal(1000, limits.MaxLineLength);
        Assert.Equal(500, limits.MaxValueSize);
        Assert.Equal(4L << 30, limits.MaxRecordSize);
        Assert.Equal(7, limits.MaxValuesPerAttribute);
        Assert.Equal(9, limits.MaxAttributesPerRecord);
    }

    [Theory]
    [InlineData("MaxLineLength", "0", "Agent:Source:Ldif:MaxLineLength is 0; an LDIF limit must be between 1 and 1073741791")]
    [InlineData("MaxValueSize", "-5", "Agent:Source:Ldif:MaxValueSize is -5")]
    [InlineData("MaxRecordSize", "9000000000000", "Agent:Source:Ldif:MaxRecordSize is 9000000000000; an LDIF limit must be between 1 and 1099511627776")]
    [InlineData("MaxValuesPerAttribute", "3000000000", "Agent:Source:Ldif:MaxValuesPerAttribute is 3000000000")]
    [InlineData("MaxAttributesPerRecord", "0", "Agent:Source:Ldif:MaxAttributesPerRecord is 0")]
    public void Bad_values_are_a_configuration_error_naming_the_key(string name, string value, string message)
    {
        string path = Config($$"""{ "Agent": { "StatePath": "s.json", "OutboxDirectory": "out", "Source": { "LdifPath": "x.ldif", "Ldif": { "{{name}}": {{value}} } } } }""");
        DataException e = Assert.Throws<DataException>(() => AgentConfiguration.Load(path));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "MaxLineLenght": 5 }""", "MaxLineLenght")]
    [InlineData("""{ "MaxLineLength": "lots" }""", "MaxLineLength")]
    public void Unknown_keys_and_non_numbers_are_refused(string section, string named)
    {
        string path = Config($$"""{ "Agent": { "StatePath": "s.json", "OutboxDirectory": "out", "Source": { "LdifPath": "x.ldif", "Ldif": {{section}} } } }""");
        DataException e = Assert.Throws<DataException>(() => AgentConfiguration.Load(path));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_source_reads_with_the_configured_limits()
    {
        string ldif = Path.Combine(_directory, "export.ldif");
        var text = new StringBuilder("dn: CN=wide,DC=phs,DC=example,DC=test\nobjectClass: user\nsAMAccountName: wide\n");
        for (int i = 0; i < LdifReaderOptions.DefaultMaxAttributesPerRecord; i++)
        {
            text.Append("extra").Append(i).Append(": x\n");
        }

        File.WriteAllText(ldif, text.ToString());
        string raised = Config($$"""{ "Agent": { "StatePath": "s.json", "OutboxDirectory": "out", "Source": { "LdifPath": "export.ldif", "Ldif": { "MaxAttributesPerRecord": 20000 } } } }""");
        string defaults = Config("""{ "Agent": { "StatePath": "s.json", "OutboxDirectory": "out", "Source": { "LdifPath": "export.ldif" } } }""");

        IDirectoryChangeSource tooWide = AgentSources.Create(AgentConfiguration.Load(defaults).Options);
        LdifFormatException refused = await Assert.ThrowsAsync<LdifFormatException>(() => tooWide.GetChangesAsync(null, CancellationToken.None).AsTask());
        Assert.Contains("(LdifReaderOptions.MaxAttributesPerRecord)", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<LdifFormatException>(async () =>
        {
            await foreach (DirectoryUser user in tooWide.GetAllUsersAsync(CancellationToken.None))
            {
                Assert.Fail("no user before the limit: " + user.DistinguishedName);
            }
        });

        IDirectoryChangeSource wide = AgentSources.Create(AgentConfiguration.Load(raised).Options);
        DirectoryChangeSet changes = await wide.GetChangesAsync(null, CancellationToken.None);
        Assert.Equal("wide", Assert.Single(changes.Users).SamAccountName);
        int all = 0;
        await foreach (DirectoryUser _ in wide.GetAllUsersAsync(CancellationToken.None))
        {
            all++;
        }

        Assert.Equal(1, all);
    }

    private static AgentOptions Bind(Dictionary<string, string?> values) =>
        AgentOptions.Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    private string Config(string json)
    {
        string path = Path.Combine(_directory, "agent-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }
}
