using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PasswordHashSync.Replication.Ntlm;

/// <summary>
/// The NTLMv2 computations of MS-NLMP 3.3.2 (checked against the published example of 4.2.4): NTOWFv2, the
/// NTLMv2_CLIENT_CHALLENGE ("temp"), NTProofStr, the NT and LM responses and the SessionBaseKey.
/// </summary>
[SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "MS-NLMP 3.3.2 defines NTLMv2 with HMAC-MD5; the DC accepts nothing else.")]
internal static class NtlmV2Response
{
    /// <summary>The length of NTProofStr, the key and every HMAC-MD5 output.</summary>
    public const int KeyLength = 16;

    /// <summary>NTOWFv2 = HMAC_MD5(NT hash, UTF16LE(UPPER(user) ‖ domain)); the domain keeps its case (MS-NLMP 3.3.2).</summary>
    /// <param name="ntHash">MD4(UTF16LE(password)).</param>
    /// <param name="user">The user name.</param>
    /// <param name="domain">The domain, as given.</param>
    /// <param name="destination">16 bytes.</param>
    public static void ComputeNtowfV2(ReadOnlySpan<byte> ntHash, string user, string domain, Span<byte> destination)
    {
        byte[] identity = Encoding.Unicode.GetBytes(user.ToUpperInvariant() + domain);
        _ = HMACMD5.HashData(ntHash, identity, destination);
    }

    /// <summary>
    /// temp = 0x01 ‖ 0x01 ‖ Z(6) ‖ Time ‖ ClientChallenge ‖ Z(4) ‖ TargetInfo ‖ Z(4) (MS-NLMP 2.2.2.7 NTLMv2_CLIENT_CHALLENGE).
    /// </summary>
    /// <param name="fileTime">The timestamp (the server's MsvAvTimestamp when it sent one).</param>
    /// <param name="clientChallenge">8 random bytes.</param>
    /// <param name="targetInfo">The AV pairs to echo, MsvAvEOL included.</param>
    /// <returns>temp.</returns>
    public static byte[] BuildClientChallenge(long fileTime, ReadOnlySpan<byte> clientChallenge, ReadOnlySpan<byte> targetInfo)
    {
        byte[] temp = new byte[28 + targetInfo.Length + 4];
        temp[0] = 1;
        temp[1] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(temp.AsSpan(8), fileTime);
        clientChallenge[..8].CopyTo(temp.AsSpan(16));
        targetInfo.CopyTo(temp.AsSpan(28));
        return temp;
    }

    /// <summary>NTProofStr = HMAC_MD5(NTOWFv2, ServerChallenge ‖ temp); NtChallengeResponse = NTProofStr ‖ temp; SessionBaseKey = HMAC_MD5(NTOWFv2, NTProofStr).</summary>
    /// <param name="ntowfV2">The response key.</param>
    /// <param name="serverChallenge">The CHALLENGE's 8 bytes.</param>
    /// <param name="temp">The client challenge structure.</param>
    /// <param name="sessionBaseKey">16 bytes for the SessionBaseKey.</param>
    /// <returns>NtChallengeResponse.</returns>
    public static byte[] ComputeNtResponse(ReadOnlySpan<byte> ntowfV2, ReadOnlySpan<byte> serverChallenge, ReadOnlySpan<byte> temp, Span<byte> sessionBaseKey)
    {
        byte[] response = new byte[KeyLength + temp.Length];
        byte[] input = new byte[8 + temp.Length];
        serverChallenge[..8].CopyTo(input);
        temp.CopyTo(input.AsSpan(8));
        _ = HMACMD5.HashData(ntowfV2, input, response);
        temp.CopyTo(response.AsSpan(KeyLength));
        _ = HMACMD5.HashData(ntowfV2, response.AsSpan(0, KeyLength), sessionBaseKey);
        return response;
    }

    /// <summary>LMv2 = HMAC_MD5(NTOWFv2, ServerChallenge ‖ ClientChallenge) ‖ ClientChallenge (MS-NLMP 3.3.2), 24 bytes.</summary>
    /// <param name="ntowfV2">The response key.</param>
    /// <param name="serverChallenge">The CHALLENGE's 8 bytes.</param>
    /// <param name="clientChallenge">The client's 8 bytes.</param>
    /// <returns>LmChallengeResponse.</returns>
    public static byte[] ComputeLmResponse(ReadOnlySpan<byte> ntowfV2, ReadOnlySpan<byte> serverChallenge, ReadOnlySpan<byte> clientChallenge)
    {
        Span<byte> input = stackalloc byte[16];
        serverChallenge[..8].CopyTo(input);
        clientChallenge[..8].CopyTo(input[8..]);
        byte[] response = new byte[24];
        _ = HMACMD5.HashData(ntowfV2, input, response);
        clientChallenge[..8].CopyTo(response.AsSpan(16));
        return response;
    }
}
