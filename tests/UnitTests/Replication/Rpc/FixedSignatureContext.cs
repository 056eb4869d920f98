using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Rpc;

/// <summary>A security context that seals nothing and writes a fixed auth_value, so PDU layout can be compared with Samba's encoder.</summary>
internal sealed class FixedSignatureContext(int signatureLength) : IRpcSecurityContext
{
    public byte AuthType => 10;

    public bool IsComplete => true;

    public int SignatureLength => signatureLength;

    public ReadOnlySpan<byte> SessionKey => new byte[16];

    public byte[] Signature => Enumerable.Range(0, signatureLength).Select(i => (byte)(0xA0 + i)).ToArray();

    public byte[] GetInitialToken() => [1, 2, 3];

    public RpcAuthStep ProcessServerToken(ReadOnlySpan<byte> serverToken) => new(null, RpcAuthLeg.None);

    public void Seal(Span<byte> pdu, int stubOffset, int stubAndPadLength) => Signature.CopyTo(pdu[^signatureLength..]);

    public void Unseal(Span<byte> pdu, int stubOffset, int stubAndPadLength)
    {
    }

    public void Dispose()
    {
    }
}
