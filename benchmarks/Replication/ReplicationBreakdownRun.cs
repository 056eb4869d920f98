using System.Diagnostics;
using System.Globalization;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Benchmarks.Replication;

/// <summary>
/// Where the library's replication time goes (<c>replication-breakdown</c>, same arguments as
/// <see cref="LibraryReplicationRun"/>, optionally followed by <c>memory</c>): the same GetNCChanges loop as <see cref="DrsReplicationClient.ReplicateAsync"/>,
/// built from the internal layers with a stopwatch around each: the RPC call (the DC's work, the loopback transfer,
/// PDU reassembly and unsealing), the NDR parse of the reply, and the secret decryption with the object mapping.
/// </summary>
internal static class ReplicationBreakdownRun
{
    public static async Task RunAsync(string[] args)
    {
        string host = args[0];
        string dnsDomain = args[1];
        int maxObjects = int.Parse(args[4], CultureInfo.InvariantCulture);
        int maxBytes = int.Parse(args[5], CultureInfo.InvariantCulture);

        // "memory": after each chunk a full blocking GC and a MemoryProbe line (what survives a chunk; slows the run).
        bool memory = args.Length > 6 && args[6] == "memory";
        string password = Console.In.ReadLine() ?? throw new InvalidOperationException("No password on standard input.");
        using var credential = new NtlmCredential(args[3], args[2], password);
        var rpcOptions = new RpcConnectionOptions { CallTimeout = TimeSpan.FromMinutes(10) };
        int port = await EndpointMapper.MapTcpPortAsync(host, RpcSyntaxId.Drsuapi, rpcOptions, CancellationToken.None).ConfigureAwait(false);
        IRpcSecurityContext security = await credential.CreateSecurityContextAsync(new RpcSecurityTarget(host, dnsDomain), CancellationToken.None).ConfigureAwait(false);
        await using RpcConnection rpc = await RpcConnection.ConnectAsync(host, port, RpcSyntaxId.Drsuapi, security, rpcOptions, CancellationToken.None).ConfigureAwait(false);
        var channel = new TimedChannel(rpc);
        var drs = new DrsuapiClient(channel);
        await drs.BindAsync(CancellationToken.None).ConfigureAwait(false);
        DsName namingContext = await drs.ResolveDomainNamingContextAsync(dnsDomain, CancellationToken.None).ConfigureAwait(false);
        channel.Elapsed = TimeSpan.Zero;

        var total = Stopwatch.StartNew();
        var timers = new Timers();
        UsnVector position = default;
        Guid invocationId = Guid.Empty;
        int chunks = 0, accounts = 0;
        long replyBytes = 0;
        if (memory)
        {
            Console.WriteLine($"  before chunk 1: {MemoryProbe.Snapshot(collect: true)}");
        }

        while (true)
        {
            GetNCChangesRequest request = GetNCChangesRequests.ForDomain(namingContext, position, invocationId, null, (uint)maxObjects, (uint)maxBytes);
            ChunkResult result = await RunChunkAsync(drs, request, rpc, timers).ConfigureAwait(false);
            chunks++;
            accounts += result.Accounts;
            replyBytes += channel.LastStubBytes;
            if (memory)
            {
                // The reply and its accounts live only in RunChunkAsync, so what survives this collection is what the
                // library (pool, connection, caches) keeps between chunks.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  after chunk {chunks}: objects={result.Objects} stub_MiB={channel.LastStubBytes / 1048576.0:F2} {MemoryProbe.Snapshot(collect: true)}"));
            }

            if (!result.MoreData)
            {
                break;
            }

            position = result.Next;
            invocationId = result.Source;
        }

        total.Stop();
        TimeSpan parse = timers.GetChanges.Elapsed - channel.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"breakdown total_s={total.Elapsed.TotalSeconds:F2} rpc_call_s={channel.Elapsed.TotalSeconds:F2} ndr_parse_s={parse.TotalSeconds:F2} " +
            $"decrypt_and_map_s={timers.DecryptAndMap.Elapsed.TotalSeconds:F2} allocated_call_and_parse_MiB={timers.CallAndParseBytes / 1048576.0:F1} " +
            $"allocated_decrypt_and_map_MiB={timers.DecryptAndMapBytes / 1048576.0:F1} chunks={chunks} accounts={accounts} reply_stub_MiB={replyBytes / 1048576.0:F1} " +
            $"largest_stub_MiB={channel.LargestStubBytes / 1048576.0:F2} client_cpu_s={Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F2} " +
            $"gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} {MemoryProbe.Snapshot(collect: false)} {MemoryProbe.GcMode()}"));
    }

    // One GetNCChanges call, mapped and disposed; nothing of the reply outlives this method.
    private static async Task<ChunkResult> RunChunkAsync(DrsuapiClient drs, GetNCChangesRequest request, RpcConnection rpc, Timers timers)
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        timers.GetChanges.Start();
        using GetNCChangesReply reply = await drs.GetNCChangesAsync(request, CancellationToken.None).ConfigureAwait(false);
        timers.GetChanges.Stop();
        long allocatedAfterParse = GC.GetTotalAllocatedBytes(precise: true);
        timers.DecryptAndMap.Start();
        ReplicatedAccount[] mapped = ReplicatedAccountReader.Read(reply, rpc.SessionKey);
        foreach (ReplicatedAccount account in mapped)
        {
            account.Dispose();
        }

        timers.DecryptAndMap.Stop();
        timers.CallAndParseBytes += allocatedAfterParse - allocatedBefore;
        timers.DecryptAndMapBytes += GC.GetTotalAllocatedBytes(precise: true) - allocatedAfterParse;
        return new ChunkResult(mapped.Length, reply.Objects.Count, reply.MoreData, reply.UsnVectorTo, reply.SourceInvocationId);
    }

    private readonly record struct ChunkResult(int Accounts, int Objects, bool MoreData, UsnVector Next, Guid Source);

    private sealed class Timers
    {
        public Stopwatch GetChanges { get; } = new();

        public Stopwatch DecryptAndMap { get; } = new();

        public long CallAndParseBytes { get; set; }

        public long DecryptAndMapBytes { get; set; }
    }

    /// <summary>Times the RPC layer (send, the DC's work, receive, reassembly, unsealing) of each call.</summary>
    private sealed class TimedChannel(IRpcChannel inner) : IRpcChannel
    {
        public TimeSpan Elapsed { get; set; }

        public int LastStubBytes { get; private set; }

        public int LargestStubBytes { get; private set; }

        public ReadOnlySpan<byte> SessionKey => inner.SessionKey;

        public async ValueTask<RpcResponseStub> CallAsync(ushort opnum, ReadOnlyMemory<byte> requestStub, CancellationToken cancellationToken)
        {
            long start = Stopwatch.GetTimestamp();
            RpcResponseStub stub = await inner.CallAsync(opnum, requestStub, cancellationToken).ConfigureAwait(false);
            Elapsed += Stopwatch.GetElapsedTime(start);
            LastStubBytes = stub.Memory.Length;
            LargestStubBytes = Math.Max(LargestStubBytes, LastStubBytes);
            return stub;
        }
    }
}
