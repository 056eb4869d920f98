using System.Buffers.Binary;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// Rule: every DRSUAPI reply parser, and the object mapper behind GetNCChanges, lets only
/// <see cref="DrsProtocolException"/> escape whatever the server sends (random bytes, random bytes behind a valid
/// header, and mutations of replies packed by Samba's own NDR), never hangs, and allocates no more than a bound
/// proportional to the bytes it was given. 100 000 inputs per property in CI; set PHS_DRS_FUZZ_COUNT for longer runs.
/// </summary>
public sealed class DrsReplyParserProperties
{
    /// <summary>Allocation the parsers may make per input byte (objects, value slices, DN strings) plus a fixed allowance.</summary>
    private const long AllocatedBytesPerInputByte = 48;
    private const long FixedAllocationAllowance = 64 * 1024;

    private static readonly uint[] ExtremeValues = [0, 1, 2, 6, 7, 0x7FFF, 0x8000, 0xFFFF, 0x100000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0];

    private static readonly Lazy<(byte[] Stub, byte[] SessionKey)[]> s_sambaReplies = new(LoadSambaReplies);

    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("PHS_DRS_FUZZ_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 100_000;

    [Fact]
    public void GetNCChanges_random_bytes_give_only_the_protocol_exception() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            byte[] stub = new byte[random.Next(0, 600)];
            random.NextBytes(stub);
            if (stub.Length >= 8 && random.Next(4) != 0)
            {
                // A valid level and arm, so the input reaches the V6 (or V1) body.
                uint level = random.Next(5) == 0 ? 1u : 6u;
                BinaryPrimitives.WriteUInt32LittleEndian(stub, level);
                BinaryPrimitives.WriteUInt32LittleEndian(stub.AsSpan(4), level);
            }

            ParseAndMap(stub, new byte[16]);
        }).Check(Config(Count));

    [Fact]
    public void GetNCChanges_mutations_of_samba_replies_give_only_the_protocol_exception() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            (byte[] original, byte[] sessionKey) = s_sambaReplies.Value[random.Next(s_sambaReplies.Value.Length)];
            ParseAndMap(Mutate(original, random), sessionKey);
        }).Check(Config(Count));

    [Fact]
    public void Small_call_replies_random_and_mutated_give_only_the_protocol_exception()
    {
        byte[][] samples = SambaResponses();
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            byte[] stub;
            if (random.Next(2) == 0)
            {
                stub = new byte[random.Next(0, 300)];
                random.NextBytes(stub);
            }
            else
            {
                stub = Mutate(samples[random.Next(samples.Length)], random);
            }

            Bounded(stub, () => _ = DrsBindCall.ReadResponse(stub));
            Bounded(stub, () => _ = DrsUnbindCall.ReadResponse(stub));
            Bounded(stub, () => _ = CrackNamesCall.ReadResponse(stub));
            Bounded(stub, () => _ = DomainControllerInfoCall.ReadResponse(stub));
        }).Check(Config(Count));
    }

    [Fact]
    public void Unmutated_samba_replies_parse()
    {
        foreach ((byte[] stub, byte[] key) in s_sambaReplies.Value)
        {
            using GetNCChangesReply reply = GetNCChangesReply.Parse(stub);
            using var decryptor = new ReplicatedSecretDecryptor(key);
            ReplicatedObjectMapper.MapAccounts(reply, decryptor, includePartial: true).ForEach(a => a.Dispose());
        }
    }

    private static void ParseAndMap(byte[] stub, byte[] sessionKey) => Bounded(stub, () =>
    {
        using GetNCChangesReply reply = GetNCChangesReply.Parse(stub);
        _ = IncrementalChangeSelector.Select(reply);
        _ = IncrementalChangeSelector.DeletedObjects(reply);
        using var decryptor = new ReplicatedSecretDecryptor(sessionKey);
        foreach (ReplicatedAccount account in ReplicatedObjectMapper.MapAccounts(reply, decryptor, includePartial: true))
        {
            _ = account.ToString();
            account.Dispose();
        }
    });

    private static void Bounded(byte[] stub, Action parse)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            parse();
        }
        catch (DrsProtocolException)
        {
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long bound = (AllocatedBytesPerInputByte * stub.Length) + FixedAllocationAllowance;
        Assert.True(allocated <= bound, $"A {stub.Length}-byte reply made the parser allocate {allocated} bytes (bound {bound}).");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                case 2:
                    // Counts, lengths and referent ids are aligned uint32s: hit them on their boundary.
                    at &= ~3;
                    uint value = ExtremeValues[random.Next(ExtremeValues.Length)];
                    for (int k = 0; k < 4 && at + k < bytes.Count; k++)
                    {
                        bytes[at + k] = (byte)(value >> (8 * k));
                    }

                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at));
                    break;
                case 4:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)random.Next(256), random.Next(1, 9)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private static Config Config(int maxTest) => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true);

    private static (byte[], byte[])[] LoadSambaReplies()
    {
        string output = RunReference("replies", "77", "40");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            return (Convert.FromHexString(json.RootElement.GetProperty("stub").GetString()!), Convert.FromHexString(json.RootElement.GetProperty("sessionKey").GetString()!));
        })];
    }

    private static byte[][] SambaResponses()
    {
        using var json = System.Text.Json.JsonDocument.Parse(RunReference("responses"));
        return [.. json.RootElement.EnumerateObject().Select(p => Convert.FromHexString(p.Value.GetString()!))];
    }

    /// <summary>Runs the Samba NDR reference script of the unit tests with the interpreter samba-tool uses.</summary>
    private static string RunReference(params string[] arguments)
    {
        string sambaTool = ExternalTool.Require("samba-tool", "samba");
        string firstLine = File.ReadLines(sambaTool).FirstOrDefault() ?? string.Empty;
        string python = firstLine.StartsWith("#!", StringComparison.Ordinal) ? firstLine[2..].Trim().Split(' ')[0] : ExternalTool.Require("python3", "python3-samba");
        string script = Path.Combine(RepositoryPaths.Root, "tests", "UnitTests", "Drsr", "samba_drsuapi_reference.py");
        ExternalTool.Result result = ExternalTool.Run(python, [script, .. arguments], timeout: TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput;
    }
}
