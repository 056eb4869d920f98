using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Rpc;

/// <summary>The connection's reused response buffer: zeroed when it comes back, reused, never handed out twice.</summary>
public sealed class RpcReassemblyBufferTests
{
    [Fact]
    public void A_disposed_stub_gives_its_buffer_back_zeroed_and_it_is_handed_out_once()
    {
        using var reuse = new RpcReassemblyBuffer();
        Assert.Null(reuse.Take());
        byte[] buffer = new byte[4096];
        buffer.AsSpan().Fill(0xA5);
        new RpcResponseStub(buffer, buffer.Length, reuse).Dispose();

        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Same(buffer, reuse.Take());
        Assert.Null(reuse.Take());
    }

    [Fact]
    public void After_the_connection_is_disposed_a_returned_buffer_is_zeroed_and_dropped()
    {
        var reuse = new RpcReassemblyBuffer();
        reuse.Dispose();
        byte[] buffer = new byte[256];
        buffer.AsSpan().Fill(0x5A);
        reuse.Return(buffer, buffer.Length);

        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Null(reuse.Take());
    }
}
