using PasswordHashSync.Cryptography;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Ntlm;

/// <summary>
/// The NTLMv2 example of MS-NLMP 4.2.4 (User "User", domain "Domain", password "Password", ServerChallenge
/// 0123456789abcdef, ClientChallenge aa×8, Time 0, RandomSessionKey 55×16). Every expected value below is copied
/// from the specification's sections 4.2.4.1 – 4.2.4.4, not computed here.
/// </summary>
public sealed class NtlmV2PublishedVectorTests
{
    private static readonly byte[] s_ntHash = Hash("Password");
    private static readonly byte[] s_serverChallenge = Convert.FromHexString("0123456789abcdef");
    private static readonly byte[] s_clientChallenge = Convert.FromHexString("aaaaaaaaaaaaaaaa");
    private static readonly byte[] s_randomSessionKey = Convert.FromHexString("55555555555555555555555555555555");

    // 4.2.4.1.3 / 4.2.4.3: the CHALLENGE_MESSAGE (TargetName "Server", AV pairs NbDomainName "Domain", NbComputerName "Server").
    private static readonly byte[] s_challenge = Convert.FromHexString(
        "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000" +
        "060070170000000f53006500720076006500720002000c0044006f006d00610069006e0001000c005300650072007600" +
        "6500720000000000");

    private const string TargetInfoHex = "02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000";

    // 4.2.4.1.1 NTOWFv2, 4.2.4.2.1 LMv2, 4.2.4.2.2 NTLMv2 response, 4.2.4.1.2 session base key, 4.2.4.2.3 encrypted key.
    private const string NtowfV2Hex = "0c868a403bfd7a93a3001ef22ef02e3f";
    private const string LmV2ResponseHex = "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa";
    private const string NtProofStrHex = "68cd0ab851e51c96aabc927bebef6a1c";
    private const string TempHex = "01010000000000000000000000000000aaaaaaaaaaaaaaaa00000000" + TargetInfoHex + "00000000";
    private const string SessionBaseKeyHex = "8de40ccadbc14a82f15cb0ad0de95ca3";
    private const string EncryptedRandomSessionKeyHex = "c5dad2544fc9799094ce1ce90bc9d03e";

    // 4.2.4.3: the AUTHENTICATE_MESSAGE (workstation "COMPUTER", Version 5.1.2600 rev 15, no MIC).
    private const string AuthenticateHex =
        "4e544c4d5353500003000000180018006c00000054005400840000000c000c00480000000800080054000000100010005c000000" +
        "10001000d8000000358288e20501280a0000000f44006f006d00610069006e00550073006500720043004f004d00500055005400" +
        "4500520086c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa68cd0ab851e51c96aabc927bebef6a1c0101000000000000" +
        "0000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c00530065007200760065007200" +
        "0000000000000000c5dad2544fc9799094ce1ce90bc9d03e";

    // 4.2.4.4: client SealKey and SignKey, and "Plaintext" (UTF-16LE) sealed with sequence number 0.
    private const string ClientSealKeyHex = "59f600973cc4960a25480a7c196e4c58";
    private const string ClientSignKeyHex = "4788dc861b4782f35d43fd98fe1a2d39";
    private const string SealedPlaintextHex = "54e50165bf1936dc996020c1811b0f06fb5f";
    private const string SignatureHex = "010000007fb38ec5c55d497600000000";

    private const NtlmNegotiateFlags ChallengeFlags = (NtlmNegotiateFlags)0xe28a8233;

    [Fact]
    public void NtowfV2_MatchesSection4_2_4_1_1()
    {
        byte[] ntowf = new byte[16];
        NtlmV2Response.ComputeNtowfV2(s_ntHash, "User", "Domain", ntowf);
        Assert.Equal(NtowfV2Hex, Hex(ntowf));
    }

    [Fact]
    public void ChallengeParser_ReadsTheSpecChallenge()
    {
        NtlmChallengeMessage challenge = NtlmChallengeMessage.Parse(s_challenge);

        Assert.Equal(ChallengeFlags, challenge.Flags);
        Assert.Equal(s_serverChallenge, challenge.ServerChallenge);
        Assert.Equal("Server", challenge.TargetName);
        Assert.Equal(TargetInfoHex, Hex(challenge.TargetInfo));
        Assert.Equal([NtlmAvId.NbDomainName, NtlmAvId.NbComputerName], challenge.AvPairs.Select(p => p.Id));
        Assert.Null(challenge.Timestamp);
    }

    [Fact]
    public void Responses_SessionBaseKeyAndKeyExchange_MatchSection4_2_4_2()
    {
        byte[] ntowf = Convert.FromHexString(NtowfV2Hex);
        byte[] temp = NtlmV2Response.BuildClientChallenge(0, s_clientChallenge, Convert.FromHexString(TargetInfoHex));
        byte[] sessionBaseKey = new byte[16];
        byte[] ntResponse = NtlmV2Response.ComputeNtResponse(ntowf, s_serverChallenge, temp, sessionBaseKey);
        byte[] lmResponse = NtlmV2Response.ComputeLmResponse(ntowf, s_serverChallenge, s_clientChallenge);
        byte[] encrypted = new byte[16];
        Rc4.Transform(sessionBaseKey, s_randomSessionKey, encrypted);

        Assert.Equal(TempHex, Hex(temp));
        Assert.Equal(NtProofStrHex + TempHex, Hex(ntResponse));
        Assert.Equal(LmV2ResponseHex, Hex(lmResponse));
        Assert.Equal(SessionBaseKeyHex, Hex(sessionBaseKey));
        Assert.Equal(EncryptedRandomSessionKeyHex, Hex(encrypted));
    }

    [Fact]
    public void AuthenticateWriter_ReproducesSection4_2_4_3_ByteForByte()
    {
        byte[] message = NtlmAuthenticateMessage.Create(
            (NtlmNegotiateFlags)0xe2888235,
            Convert.FromHexString(LmV2ResponseHex),
            Convert.FromHexString(NtProofStrHex + TempHex),
            "Domain",
            "User",
            "COMPUTER",
            Convert.FromHexString(EncryptedRandomSessionKeyHex),
            Convert.FromHexString("0501280a0000000f"),
            withMic: false);

        Assert.Equal(AuthenticateHex, Hex(message));
    }

    [Fact]
    public void SecurityContext_WithTheSpecRandomness_SendsTheSpecResponsesAndExportsTheRandomKey()
    {
        int calls = 0;
        using var context = new NtlmSecurityContext("User", "Domain", s_ntHash,
            span => (calls++ == 0 ? s_clientChallenge : s_randomSessionKey).CopyTo(span), () => 0);
        byte[] negotiate = context.GetInitialToken();
        Assert.Equal(0xE2888235u, BitConverter.ToUInt32(negotiate, 12));

        RpcAuthStep step = context.ProcessServerToken(s_challenge);

        Assert.Equal(RpcAuthLeg.Auth3, step.Leg);
        Assert.True(context.IsComplete);
        Assert.False(context.SentMic);
        byte[] spec = Convert.FromHexString(AuthenticateHex);
        Assert.Equal(Field(spec, 12), Field(step.Token!, 12)); // LmChallengeResponse
        Assert.Equal(Field(spec, 20), Field(step.Token!, 20)); // NtChallengeResponse
        Assert.Equal(Field(spec, 52), Field(step.Token!, 52)); // EncryptedRandomSessionKey
        Assert.Equal(Field(spec, 28), Field(step.Token!, 28)); // DomainName
        Assert.Equal(Field(spec, 36), Field(step.Token!, 36)); // UserName
        Assert.Equal(s_randomSessionKey, context.SessionKey.ToArray());
    }

    [Fact]
    public void SealAndSignKeys_MatchSection4_2_4_4()
    {
        byte[] sealKey = new byte[16];
        byte[] signKey = new byte[16];
        NtlmSessionSecurity.ComputeSealKey(s_randomSessionKey, ChallengeFlags, clientToServer: true, sealKey);
        NtlmSessionSecurity.ComputeSignKey(s_randomSessionKey, clientToServer: true, signKey);

        Assert.Equal(ClientSealKeyHex, Hex(sealKey));
        Assert.Equal(ClientSignKeyHex, Hex(signKey));
    }

    [Fact]
    public void SealingPlaintext_MatchesSection4_2_4_4()
    {
        using var security = new NtlmSessionSecurity(s_randomSessionKey, ChallengeFlags, isClient: true);
        byte[] message = System.Text.Encoding.Unicode.GetBytes("Plaintext");
        byte[] signature = new byte[16];

        security.Seal(message, .., signature);

        Assert.Equal(SealedPlaintextHex, Hex(message));
        Assert.Equal(SignatureHex, Hex(signature));
    }

    [Fact]
    public void ServerSide_UnsealsTheSpecCiphertext()
    {
        using var server = new NtlmSessionSecurity(s_randomSessionKey, ChallengeFlags, isClient: false);
        byte[] message = Convert.FromHexString(SealedPlaintextHex);

        server.Unseal(message, .., Convert.FromHexString(SignatureHex));

        Assert.Equal("Plaintext", System.Text.Encoding.Unicode.GetString(message));
    }

    private static byte[] Field(byte[] message, int fieldOffset)
    {
        int length = BitConverter.ToUInt16(message, fieldOffset);
        int offset = BitConverter.ToInt32(message, fieldOffset + 4);
        return message.AsSpan(offset, length).ToArray();
    }

    private static byte[] Hash(string password)
    {
        byte[] hash = new byte[16];
        Md4.HashData(System.Text.Encoding.Unicode.GetBytes(password), hash);
        return hash;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
