using System.Buffers;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Drsr;

/// <summary>An <see cref="IRpcChannel"/> that answers each call with the next recorded stub and remembers the requests.</summary>
internal sealed class FakeRpcChannel : IRpcChannel
{
    private readonly Queue<byte[]> _responses = new();
    private readonly byte[] _sessionKey = new byte[16];

    public List<(ushort Opnum, byte[] Stub)> Requests { get; } = [];

    public ReadOnlySpan<byte> SessionKey => _sessionKey;

    public void Enqueue(byte[] response) => _responses.Enqueue(response);

    public ValueTask<RpcResponseStub> CallAsync(ushort opnum, ReadOnlyMemory<byte> requestStub, CancellationToken cancellationToken)
    {
        Requests.Add((opnum, requestStub.ToArray()));
        byte[] response = _responses.Dequeue();
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(response.Length, 1));
        response.CopyTo(rented, 0);
        return ValueTask.FromResult(new RpcResponseStub(rented, response.Length));
    }
}
