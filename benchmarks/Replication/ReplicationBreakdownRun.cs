using System.Diagnostics;
using System.Globalization;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Benchmarks.Replication;

/// <summary>
/// Where the library's replication time goes (<c>replication-breakdown</c>, same arguments as
/// <see cref="LibraryReplicationRun"/>): the same GetNCChanges loop as <see cref="DrsReplicationClient.ReplicateAsync"/>,
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
        var getChanges = new Stopwatch();
        var decryptAndMap = new Stopwatch();
        UsnVector position = default;
        Guid invocationId = Guid.Empty;
        int chunks = 0, accounts = 0;
        long replyBytes = 0;
        while (true)
        {
            GetNCChangesRequest request = GetNCChangesRequests.ForDomain(namingContext, position, invocationId, null, (uint)maxObjects, (uint)maxBytes);
            getChanges.Start();
            using GetNCChangesReply reply = await drs.GetNCChangesAsync(request, CancellationToken.None).ConfigureAwait(false);
            getChanges.Stop();
            decryptAndMap.Start();
            ReplicatedAccount[] mapped = ReplicatedAccountReader.Read(reply, rpc.SessionKey);
            foreach (ReplicatedAccount account in mapped)
            {
                account.Dispose();
            }

            decryptAndMap.Stop();
            chunks++;
            accounts += mapped.Length;
            replyBytes += channel.LastStubBytes;
            if (!reply.MoreData)
            {
                break;
            }

            position = reply.UsnVectorTo;
            invocationId = reply.SourceInvocationId;
        }

        total.Stop();
        TimeSpan parse = getChanges.Elapsed - channel.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"breakdown total_s={total.Elapsed.TotalSeconds:F2} rpc_call_s={channel.Elapsed.TotalSeconds:F2} ndr_parse_s={parse.TotalSeconds:F2} " +
            $"decrypt_and_map_s={decryptAndMap.Elapsed.TotalSeconds:F2} chunks={chunks} accounts={accounts} reply_stub_MiB={replyBytes / 1048576.0:F1} " +
            $"client_cpu_s={Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F2}"));
    }

    /// <summary>Times the RPC layer (send, the DC's work, receive, reassembly, unsealing) of each call.</summary>
    private sealed class TimedChannel(IRpcChannel inner) : IRpcChannel
    {
        public TimeSpan Elapsed { get; set; }

        public int LastStubBytes { get; private set; }

        public ReadOnlySpan<byte> SessionKey => inner.SessionKey;

        public async ValueTask<RpcResponseStub> CallAsync(ushort opnum, ReadOnlyMemory<byte> requestStub, CancellationToken cancellationToken)
        {
            long start = Stopwatch.GetTimestamp();
            RpcResponseStub stub = await inner.CallAsync(opnum, requestStub, cancellationToken).ConfigureAwait(false);
            Elapsed += Stopwatch.GetElapsedTime(start);
            LastStubBytes = stub.Memory.Length;
            return stub;
        }
    }
}
