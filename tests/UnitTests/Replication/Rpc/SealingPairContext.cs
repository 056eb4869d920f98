using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Rpc;

/// <summary>
/// A client context for the fake server tests: trivial legs (bind token, then auth3), then real NTLM sealing with a
/// fixed key, so the fake server (holding the server half) can verify every request fragment and seal every reply.
/// </summary>
internal sealed class SealingPairContext(bool useAlterContext = false) : IRpcSecurityContext
{
    private int _serverTokens;

    public static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");

    private NtlmSessionSecurity? _security;

    public byte AuthType => 10;

    public bool IsComplete => _security is not null;

    public int SignatureLength => 16;

    public ReadOnlySpan<byte> SessionKey => Key;

    public bool Disposed { get; private set; }

    public static NtlmSessionSecurity ServerHalf() => new(Key, NtlmNegotiateFlags.ClientRequested, isClient: false);

    public byte[] GetInitialToken() => [0x01, 0x02];

    public List<byte[]> ServerTokens { get; } = [];

    public RpcAuthStep ProcessServerToken(ReadOnlySpan<byte> serverToken)
    {
        ServerTokens.Add(serverToken.ToArray());
        if (useAlterContext && _serverTokens++ == 0)
        {
            return new RpcAuthStep([0x04, 0x05], RpcAuthLeg.AlterContext); // like SPNEGO: a second leg that the server answers
        }

        if (useAlterContext)
        {
            _security = new NtlmSessionSecurity(Key, NtlmNegotiateFlags.ClientRequested, isClient: true);
            return new RpcAuthStep(null, RpcAuthLeg.None);
        }

        _security = new NtlmSessionSecurity(Key, NtlmNegotiateFlags.ClientRequested, isClient: true);
        return new RpcAuthStep([0x03], RpcAuthLeg.Auth3);
    }

    public void Seal(Span<byte> pdu, int stubOffset, int stubAndPadLength) =>
        _security!.Seal(pdu[..^16], stubOffset..(stubOffset + stubAndPadLength), pdu[^16..]);

    public void Unseal(Span<byte> pdu, int stubOffset, int stubAndPadLength) =>
        _security!.Unseal(pdu[..^16], stubOffset..(stubOffset + stubAndPadLength), pdu[^16..]);

    public void Dispose()
    {
        Disposed = true;
        _security?.Dispose();
    }
}
