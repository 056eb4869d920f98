using System.Text;
using PasswordHashSync.Benchmarks;
using PasswordHashSync.Cli;
using PasswordHashSync.Cli.Execution;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The block pipeline of <c>pwsync sync</c> (two-pass collapse, block planning, batch-engine digests, records in order)
/// writes the same records, byte for byte, as the single-operation path it replaced (collapse the whole directory in
/// memory, <see cref="SyncPlanner.Decide"/> one user at a time, Rfc2898DeriveBytes.Pbkdf2 per digest, records through
/// Utf8JsonWriter: <see cref="ReferenceSyncRecordWriter"/>): both draw their
/// salts (and random NT hashes) from the same seeded source, so every byte must agree, digests included.
/// </summary>
public sealed class SyncPipelineEquivalenceTests
{
    private static readonly string SamplePath = Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif");

    public static TheoryData<string> SettingsVariants => new()
    {
        "default",
        "managed",
        "managed-random-nt",
        "force-change",
        "include-only",
    };

    [Theory]
    [MemberData(nameof(SettingsVariants))]
    public void The_bundled_sample_gives_the_single_operation_records(string variant)
    {
        byte[] ldif = File.ReadAllBytes(SamplePath);
        AssertSameRecords(ldif, Settings(variant), expectedUsers: 12);
    }

    [Theory]
    [MemberData(nameof(SettingsVariants))]
    public void A_generated_directory_with_repeated_users_gives_the_single_operation_records(string variant)
    {
        // 2500 users over three blocks, every 50th followed by a newer change of an earlier user (collapse across blocks).
        byte[] ldif = Generate(2500, withBlobs: true, repeatEvery: 50, seed: 7);
        AssertSameRecords(ldif, Settings(variant), expectedUsers: 2500);
    }

    [Fact]
    public void The_pipeline_keeps_source_order_and_the_same_bytes_for_any_block_size()
    {
        byte[] ldif = Generate(300, withBlobs: true, repeatEvery: 7, seed: 11);
        PasswordHashSyncSettings settings = Settings("managed");
        byte[] expected = SingleOperation(ldif, settings, seed: 5);
        foreach (int blockSize in new[] { 1, 7, 64, 299, 4096 })
        {
            var stream = new MemoryStream();
            var planner = new SyncPlanner(random: new SeededSyncRandom(5));
            LatestUserIndex index = LatestUserIndex.Build(() => Read(ldif));
            using (var writer = new SyncRecordWriter(stream))
            {
                SyncPipeline.Run(index.Users(), planner, settings, writer.Write, blockSize);
            }

            Assert.True(expected.AsSpan().SequenceEqual(stream.ToArray()), $"block size {blockSize}: the records differ");
        }
    }

    [Fact]
    public void The_two_pass_index_collapses_exactly_as_CollapseToLatest()
    {
        byte[] ldif = Generate(1000, withBlobs: false, repeatEvery: 3, seed: 3);
        IReadOnlyList<DirectoryUser> expected = SyncPlanner.CollapseToLatest(Read(ldif));
        LatestUserIndex index = LatestUserIndex.Build(() => Read(ldif));
        List<DirectoryUser> actual = [.. index.Users()];
        Assert.Equal(expected.Count, index.Count);
        Assert.Equal(1000 + 333, index.RecordCount);
        Assert.True(index.RepeatedUsers > 0);
        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
    }

    [Fact]
    public void A_failure_in_the_reader_stops_the_pipeline_with_the_readers_exception()
    {
        byte[] ldif = Generate(3000, withBlobs: false, repeatEvery: 0, seed: 1);
        byte[] broken = [.. ldif, .. "dn: CN=broken\nobjectGUID: not-a-guid\n\n"u8];
        var planner = new SyncPlanner(random: new SeededSyncRandom(1));
        int consumed = 0;
        Assert.Throws<LdifFormatException>(() => SyncPipeline.Run(Read(broken), planner, Settings("default"), (_, _) => consumed++));
        Assert.True(consumed <= 3000);
    }

    [Fact]
    public void A_failure_in_the_consumer_stops_every_stage_and_is_the_exception_thrown()
    {
        // 5000 users are five blocks: the stages are still reading, planning and digesting when the consumer fails.
        byte[] ldif = Generate(5000, withBlobs: true, repeatEvery: 0, seed: 2);
        var planner = new SyncPlanner(random: new SeededSyncRandom(2));
        int consumed = 0;
        var seen = new List<ManagedDomainRecord>();
        var failure = Assert.Throws<InvalidOperationException>(() => SyncPipeline.Run(Read(ldif), planner, Settings("managed"), (_, decision) =>
        {
            if (decision.ManagedDomainRecord is ManagedDomainRecord managed)
            {
                seen.Add(managed);
            }

            if (++consumed == 1500)
            {
                throw new InvalidOperationException("consumer failed");
            }
        }));
        Assert.Equal("consumer failed", failure.Message);
        Assert.Equal(1500, consumed);

        // Every record handed out, the failing block's too, was disposed: its NT hash is zeroed.
        Assert.NotEmpty(seen);
        Assert.All(seen, managed => Assert.True(managed.NtHash.Span.IndexOfAnyExcept((byte)0) < 0));
    }

    private static string Describe(DirectoryUser user) => $"{user.DistinguishedName}|{user.PwdLastSet}|{Convert.ToHexString(user.NtHash.Span)}";

    private static void AssertSameRecords(byte[] ldif, PasswordHashSyncSettings settings, int expectedUsers)
    {
        byte[] expected = SingleOperation(ldif, settings, seed: 42);
        var stream = new MemoryStream();
        var context = new CliContext(new MemoryStream(), new MemoryStream(), new StringWriter());
        LatestUserIndex index = LatestUserIndex.Build(() => Read(ldif));
        SyncReportTable table = SyncExecutor.Decide(index, settings, stream, context, new SyncPlanner(random: new SeededSyncRandom(42)));
        Assert.Equal(expectedUsers, table.Users);
        Assert.Equal(expectedUsers, Encoding.UTF8.GetString(expected).Count(c => c == '\n'));
        Assert.True(expected.AsSpan().SequenceEqual(stream.ToArray()), "the pipeline's records differ from the single-operation records");
    }

    // The path pwsync sync took before the pipeline: everything in memory, one decision and one PBKDF2 per user.
    private static byte[] SingleOperation(byte[] ldif, PasswordHashSyncSettings settings, int seed)
    {
        var planner = new SyncPlanner(random: new SeededSyncRandom(seed));
        var stream = new MemoryStream();
        using (var writer = new ReferenceSyncRecordWriter(stream))
        {
            foreach (DirectoryUser user in SyncPlanner.CollapseToLatest(Read(ldif)))
            {
                SyncDecision decision = planner.Decide(user, settings);
                using (decision.ManagedDomainRecord)
                {
                    writer.Write(user, decision);
                }
            }
        }

        return stream.ToArray();
    }

    private static IEnumerable<DirectoryUser> Read(byte[] ldif) => LdifDirectoryReader.Read(new MemoryStream(ldif, writable: false));

    private static byte[] Generate(int users, bool withBlobs, int repeatEvery, int seed)
    {
        var text = new StringWriter();
        SampleDirectoryGenerator.Write(text, SampleDirectoryGenerator.ReadTemplates(SamplePath), users, withBlobs, repeatEvery, seed);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static PasswordHashSyncSettings Settings(string variant) => variant switch
    {
        "default" => new PasswordHashSyncSettings(),
        "managed" => new PasswordHashSyncSettings { ManagedDomainEnabled = true },
        "managed-random-nt" => new PasswordHashSyncSettings { ManagedDomainEnabled = true, SyncNtlmPasswords = false },
        "force-change" => new PasswordHashSyncSettings { ForcePasswordChangeOnLogOn = true, CloudPasswordPolicyForPasswordSyncedUsersEnabled = true },
        "include-only" => new PasswordHashSyncSettings { SelectivePasswordHashSync = SelectivePasswordHashSyncMode.IncludeOnly, DigestIterationCount = 100 },
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    /// <summary>A seeded random source, so two paths can be compared byte for byte.</summary>
    internal sealed class SeededSyncRandom(int seed) : ISyncRandomSource
    {
        private readonly Random _random = new(seed);

        public void Fill(Span<byte> destination) => _random.NextBytes(destination);
    }
}
