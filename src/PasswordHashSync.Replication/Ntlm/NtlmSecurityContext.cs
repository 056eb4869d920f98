using System.Buffers.Binary;
using System.Security.Cryptography;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Ntlm;

/// <summary>
/// An NTLMv2 client context for DCE/RPC at packet privacy (auth_type 10, raw NTLMSSP): NEGOTIATE in the bind, the
/// CHALLENGE from bind_ack, AUTHENTICATE in auth3; then every PDU is sealed and signed by <see cref="NtlmSessionSecurity"/>.
/// </summary>
/// <remarks>
/// Written by hand rather than on <c>System.Net.Security.NegotiateAuthentication</c>: that API exposes no session key
/// (dotnet/runtime#111099, still open), which MS-DRSR needs to decrypt secrets, and its <c>Wrap</c> signs and seals one
/// buffer, while DCE/RPC seals only the stub and pad but signs the whole PDU (MS-RPCE 2.2.2.11; MS-NLMP 3.4.6.1).
/// The flow reads top to bottom like dotnet/runtime's managed NTLM: flags, responses, key exchange, MIC, keys.
/// </remarks>
internal sealed class NtlmSecurityContext : IRpcSecurityContext
{
    /// <summary>RPC_C_AUTHN_WINNT (MS-RPCE 2.2.1.1.7).</summary>
    public const byte NtlmAuthType = 10;

    /// <summary>MsvAvFlags bit: the AUTHENTICATE carries a MIC (MS-NLMP 2.2.2.1).</summary>
    private const uint MicPresentFlag = 0x2;

    /// <summary>Version 10.0 build 20348, NTLMSSP_REVISION_W2K3 (15) (MS-NLMP 2.2.2.10); informative only.</summary>
    private static ReadOnlySpan<byte> ClientVersion => [10, 0, 0x7C, 0x4F, 0, 0, 0, 15];

    private const NtlmNegotiateFlags RequiredFlags = NtlmNegotiateFlags.Unicode | NtlmNegotiateFlags.Sign | NtlmNegotiateFlags.Seal
        | NtlmNegotiateFlags.ExtendedSessionSecurity | NtlmNegotiateFlags.TargetInfo;

    private readonly string _user;
    private readonly string _domain;
    private readonly byte[] _ntHash;
    private readonly Action<Span<byte>> _fillRandom;
    private readonly Func<long> _fileTimeNow;
    private byte[]? _negotiate;
    private byte[]? _exportedSessionKey;
    private NtlmSessionSecurity? _security;
    private bool _disposed;

    /// <summary>Creates a context for one connection.</summary>
    /// <param name="user">The user name.</param>
    /// <param name="domain">The NetBIOS or DNS domain.</param>
    /// <param name="ntHash">The 16-byte NT hash (copied; the copy is zeroed on dispose).</param>
    public NtlmSecurityContext(string user, string domain, ReadOnlySpan<byte> ntHash)
        : this(user, domain, ntHash, RandomNumberGenerator.Fill, () => DateTime.UtcNow.ToFileTimeUtc())
    {
    }

    /// <summary>Creates a context with fixed randomness and clock (the MS-NLMP 4.2.4 example; tests only).</summary>
    /// <param name="user">The user name.</param>
    /// <param name="domain">The domain.</param>
    /// <param name="ntHash">The NT hash.</param>
    /// <param name="fillRandom">Fills the client challenge (8 bytes) and then the ExportedSessionKey (16 bytes).</param>
    /// <param name="fileTimeNow">The FILETIME used when the server sends no MsvAvTimestamp.</param>
    internal NtlmSecurityContext(string user, string domain, ReadOnlySpan<byte> ntHash, Action<Span<byte>> fillRandom, Func<long> fileTimeNow)
    {
        if (ntHash.Length != 16)
        {
            throw new ArgumentException("An NT hash is 16 bytes.", nameof(ntHash));
        }

        _user = user;
        _domain = domain;
        _ntHash = ntHash.ToArray();
        _fillRandom = fillRandom;
        _fileTimeNow = fileTimeNow;
    }

    /// <inheritdoc />
    public byte AuthType => NtlmAuthType;

    /// <inheritdoc />
    public bool IsComplete => _security is not null;

    /// <inheritdoc />
    public int SignatureLength => NtlmSessionSecurity.SignatureLength;

    /// <summary>The flags both sides agreed on (valid once complete).</summary>
    public NtlmNegotiateFlags NegotiatedFlags { get; private set; }

    /// <inheritdoc />
    public ReadOnlySpan<byte> SessionKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _exportedSessionKey is null
                ? throw new RpcSecurityException("The NTLM session key is not available before authentication has completed.")
                : _exportedSessionKey;
        }
    }

    /// <inheritdoc />
    public byte[] GetInitialToken()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _negotiate = NtlmNegotiateMessage.Create(NtlmNegotiateFlags.ClientRequested, ClientVersion);
        return (byte[])_negotiate.Clone();
    }

    /// <inheritdoc />
    public RpcAuthStep ProcessServerToken(ReadOnlySpan<byte> serverToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_negotiate is null || _security is not null)
        {
            throw new RpcAuthenticationException("The server sent an NTLM token out of turn.");
        }

        NtlmChallengeMessage challenge = NtlmChallengeMessage.Parse(serverToken);
        if ((challenge.Flags & RequiredFlags) != RequiredFlags)
        {
            throw new RpcAuthenticationException(
                "The server's NTLM CHALLENGE does not agree to Unicode, signing, sealing, extended session security and target information, which packet privacy needs.");
        }

        // Echo only what both sides agreed on (impacket getNTLMSSPType3, MS-NLMP 3.1.5.1.2).
        NtlmNegotiateFlags flags = NtlmNegotiateFlags.ClientRequested & challenge.Flags;
        long? serverTime = challenge.Timestamp;
        bool withMic = serverTime is not null;

        byte[] ntowf = new byte[16];
        byte[] sessionBaseKey = new byte[16];
        byte[] clientChallenge = new byte[8];
        byte[] exported = new byte[16];
        byte[]? ntResponse = null;
        try
        {
            NtlmV2Response.ComputeNtowfV2(_ntHash, _user, _domain, ntowf);
            _fillRandom(clientChallenge);
            byte[] targetInfo = withMic ? AddMicFlag(challenge.AvPairs) : challenge.TargetInfo;
            byte[] temp = NtlmV2Response.BuildClientChallenge(serverTime ?? _fileTimeNow(), clientChallenge, targetInfo);
            ntResponse = NtlmV2Response.ComputeNtResponse(ntowf, challenge.ServerChallenge, temp, sessionBaseKey);

            // With a server timestamp the LM response is Z(24) (MS-NLMP 3.1.5.1.2); otherwise LMv2.
            byte[] lmResponse = withMic ? new byte[24] : NtlmV2Response.ComputeLmResponse(ntowf, challenge.ServerChallenge, clientChallenge);

            // KXKEY for NTLMv2 is the SessionBaseKey (3.4.5.1); with KEY_EXCH the client picks the exported key.
            byte[] encryptedKey = [];
            if ((flags & NtlmNegotiateFlags.KeyExchange) != 0)
            {
                _fillRandom(exported);
                encryptedKey = new byte[16];
                using var rc4 = new Rc4Stream(sessionBaseKey);
                exported.CopyTo(encryptedKey, 0);
                rc4.Transform(encryptedKey);
            }
            else
            {
                sessionBaseKey.CopyTo(exported, 0);
            }

            byte[] authenticate = NtlmAuthenticateMessage.Create(
                flags, lmResponse, ntResponse, _domain, _user, string.Empty, encryptedKey, ClientVersion, withMic);
            if (withMic)
            {
                using IncrementalHash mic = IncrementalHash.CreateHMAC(HashAlgorithmName.MD5, exported);
                mic.AppendData(_negotiate);
                mic.AppendData(serverToken);
                mic.AppendData(authenticate);
                _ = mic.GetHashAndReset(authenticate.AsSpan(NtlmAuthenticateMessage.MicOffset, NtlmAuthenticateMessage.MicLength));
            }

            NegotiatedFlags = flags;
            _security = new NtlmSessionSecurity(exported, flags, isClient: true);
            _exportedSessionKey = exported;
            exported = [];
            return new RpcAuthStep(authenticate, RpcAuthLeg.Auth3);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ntowf);
            CryptographicOperations.ZeroMemory(sessionBaseKey);
            CryptographicOperations.ZeroMemory(exported);
            if (ntResponse is not null)
            {
                CryptographicOperations.ZeroMemory(ntResponse);
            }
        }
    }

    /// <inheritdoc />
    public void Seal(Span<byte> pdu, int stubOffset, int stubAndPadLength)
    {
        NtlmSessionSecurity security = RequireSecurity();
        int signedLength = pdu.Length - NtlmSessionSecurity.SignatureLength;
        CheckLayout(signedLength, stubOffset, stubAndPadLength);
        security.Seal(pdu[..signedLength], stubOffset..(stubOffset + stubAndPadLength), pdu[signedLength..]);
    }

    /// <inheritdoc />
    public void Unseal(Span<byte> pdu, int stubOffset, int stubAndPadLength)
    {
        NtlmSessionSecurity security = RequireSecurity();
        int signedLength = pdu.Length - NtlmSessionSecurity.SignatureLength;
        CheckLayout(signedLength, stubOffset, stubAndPadLength);
        security.Unseal(pdu[..signedLength], stubOffset..(stubOffset + stubAndPadLength), pdu[signedLength..]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(_ntHash);
        if (_exportedSessionKey is not null)
        {
            CryptographicOperations.ZeroMemory(_exportedSessionKey);
        }

        _security?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => "NTLM context for " + _domain + "\\" + _user;

    private NtlmSessionSecurity RequireSecurity()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _security ?? throw new RpcSecurityException("A PDU cannot be sealed before NTLM authentication has completed.");
    }

    private static void CheckLayout(int signedLength, int stubOffset, int stubAndPadLength)
    {
        // The auth_value is the last 16 bytes and the 8-byte sec_trailer sits right before it, after stub + pad.
        if (stubOffset < 0 || stubAndPadLength < 0 || stubOffset + stubAndPadLength + 8 != signedLength)
        {
            throw new RpcSecurityException("An NTLM-protected PDU must end with stub + pad, an 8-byte sec_trailer and a 16-byte signature.");
        }
    }

    /// <summary>Copies the server's AV pairs with MsvAvFlags' MIC bit set, then MsvAvEOL (MS-NLMP 3.1.5.1.2).</summary>
    private static byte[] AddMicFlag(IReadOnlyList<NtlmAvPair> pairs)
    {
        uint avFlags = MicPresentFlag;
        int length = 8 + 4;
        foreach (NtlmAvPair pair in pairs)
        {
            if (pair.Id == NtlmAvId.Flags)
            {
                avFlags |= BinaryPrimitives.ReadUInt32LittleEndian(pair.Value.Span);
            }
            else
            {
                length += 4 + pair.Value.Length;
            }
        }

        byte[] result = new byte[length];
        Span<byte> span = result;
        int offset = 0;
        foreach (NtlmAvPair pair in pairs)
        {
            if (pair.Id != NtlmAvId.Flags)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], (ushort)pair.Id);
                BinaryPrimitives.WriteUInt16LittleEndian(span[(offset + 2)..], (ushort)pair.Value.Length);
                pair.Value.Span.CopyTo(span[(offset + 4)..]);
                offset += 4 + pair.Value.Length;
            }
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], (ushort)NtlmAvId.Flags);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(offset + 2)..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(offset + 4)..], avFlags);
        return result;
    }
}
