using System.Buffers.Binary;
using System.Security.Cryptography;
using PasswordHashSync.Cryptography;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Ntlm;

/// <summary>
/// NTLMv2 session security with extended session security (MS-NLMP 3.4): per-direction SignKey and SealKey from the
/// ExportedSessionKey (3.4.5.2, 3.4.5.3), one RC4 handle per direction that runs across every message, and a sequence
/// number per direction. Sealing a message (3.4.3, 3.4.4.2) computes HMAC_MD5(SignKey, seq ‖ signed bytes) over the
/// plaintext, RC4s the sealed region, then RC4s the 8-byte checksum with the same handle, and emits
/// <c>01 00 00 00 ‖ checksum ‖ seq</c>. For DCE/RPC the signed bytes are the whole PDU up to the auth_value while
/// only stub + pad are sealed, which is why .NET's <c>NegotiateAuthentication.Wrap</c> (one buffer, signed and sealed
/// alike) cannot be used.
/// </summary>
internal sealed class NtlmSessionSecurity : IDisposable
{
    /// <summary>NTLMSSP_MESSAGE_SIGNATURE length (MS-NLMP 2.2.2.9.1).</summary>
    public const int SignatureLength = 16;

    private static ReadOnlySpan<byte> ClientSigningMagic => "session key to client-to-server signing key magic constant\0"u8;

    private static ReadOnlySpan<byte> ServerSigningMagic => "session key to server-to-client signing key magic constant\0"u8;

    private static ReadOnlySpan<byte> ClientSealingMagic => "session key to client-to-server sealing key magic constant\0"u8;

    private static ReadOnlySpan<byte> ServerSealingMagic => "session key to server-to-client sealing key magic constant\0"u8;

    private readonly IncrementalHash _outgoingMac;
    private readonly IncrementalHash _incomingMac;
    private readonly Rc4Stream _outgoingSeal;
    private readonly Rc4Stream _incomingSeal;
    private uint _outgoingSequence;
    private uint _incomingSequence;

    /// <summary>Derives the four keys and opens the two RC4 handles.</summary>
    /// <param name="exportedSessionKey">The 16-byte ExportedSessionKey.</param>
    /// <param name="flags">The negotiated flags (128 / 56 decide the seal key length).</param>
    /// <param name="isClient">Whether this side is the client (sends with client-to-server keys).</param>
    public NtlmSessionSecurity(ReadOnlySpan<byte> exportedSessionKey, NtlmNegotiateFlags flags, bool isClient)
    {
        Span<byte> clientSign = stackalloc byte[16];
        Span<byte> serverSign = stackalloc byte[16];
        Span<byte> clientSeal = stackalloc byte[16];
        Span<byte> serverSeal = stackalloc byte[16];
        try
        {
            Md5.HashData(exportedSessionKey, ClientSigningMagic, clientSign);
            Md5.HashData(exportedSessionKey, ServerSigningMagic, serverSign);

            // SEALKEY (3.4.5.3): 128-bit uses the whole key, 56-bit the first 7 bytes, otherwise the first 5.
            int sealInput = (flags & NtlmNegotiateFlags.Key128) != 0 ? 16 : (flags & NtlmNegotiateFlags.Key56) != 0 ? 7 : 5;
            Md5.HashData(exportedSessionKey[..sealInput], ClientSealingMagic, clientSeal);
            Md5.HashData(exportedSessionKey[..sealInput], ServerSealingMagic, serverSeal);
            _outgoingMac = IncrementalHash.CreateHMAC(HashAlgorithmName.MD5, isClient ? clientSign : serverSign);
            _incomingMac = IncrementalHash.CreateHMAC(HashAlgorithmName.MD5, isClient ? serverSign : clientSign);
            _outgoingSeal = new Rc4Stream(isClient ? clientSeal : serverSeal);
            _incomingSeal = new Rc4Stream(isClient ? serverSeal : clientSeal);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clientSign);
            CryptographicOperations.ZeroMemory(serverSign);
            CryptographicOperations.ZeroMemory(clientSeal);
            CryptographicOperations.ZeroMemory(serverSeal);
        }
    }

    /// <summary>Signs <paramref name="signed"/> over its plaintext, then seals <paramref name="sealedRegion"/> (a part of it) in place.</summary>
    /// <param name="signed">The bytes the checksum covers (for DCE/RPC: the PDU up to the auth_value).</param>
    /// <param name="sealedRegion">Where in <paramref name="signed"/> the bytes to encrypt are.</param>
    /// <param name="signature">16 bytes for the NTLMSSP_MESSAGE_SIGNATURE.</param>
    public void Seal(Span<byte> signed, Range sealedRegion, Span<byte> signature)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(signature.Length, SignatureLength, nameof(signature));
        Span<byte> checksum = stackalloc byte[16];
        ComputeChecksum(_outgoingMac, _outgoingSequence, signed, checksum);
        _outgoingSeal.Transform(signed[sealedRegion]);
        _outgoingSeal.Transform(checksum[..8]);
        BinaryPrimitives.WriteUInt32LittleEndian(signature, 1);
        checksum[..8].CopyTo(signature[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(signature[12..], _outgoingSequence);
        CryptographicOperations.ZeroMemory(checksum);
        _outgoingSequence++;
    }

    /// <summary>Unseals <paramref name="sealedRegion"/> in place, then verifies the signature over the decrypted bytes (constant-time).</summary>
    /// <param name="signed">The received bytes the checksum covers.</param>
    /// <param name="sealedRegion">Where the encrypted bytes are.</param>
    /// <param name="signature">The received 16-byte signature.</param>
    /// <exception cref="RpcSecurityException">The signature does not verify.</exception>
    public void Unseal(Span<byte> signed, Range sealedRegion, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            throw new RpcSecurityException("An NTLM-sealed PDU carries an auth_value that is not a 16-byte NTLMSSP signature.");
        }

        _incomingSeal.Transform(signed[sealedRegion]);
        Span<byte> received = stackalloc byte[8];
        signature.Slice(4, 8).CopyTo(received);
        _incomingSeal.Transform(received);
        Span<byte> expected = stackalloc byte[16];
        ComputeChecksum(_incomingMac, _incomingSequence, signed, expected);
        bool valid = CryptographicOperations.FixedTimeEquals(received, expected[..8])
            & BinaryPrimitives.ReadUInt32LittleEndian(signature) == 1
            & BinaryPrimitives.ReadUInt32LittleEndian(signature[12..]) == _incomingSequence;
        CryptographicOperations.ZeroMemory(expected);
        _incomingSequence++;
        if (!valid)
        {
            throw new RpcSecurityException("A PDU from the server failed NTLM signature verification (tampered, replayed or out of sequence); the connection is closed.");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _outgoingMac.Dispose();
        _incomingMac.Dispose();
        _outgoingSeal.Dispose();
        _incomingSeal.Dispose();
    }

    private static void ComputeChecksum(IncrementalHash mac, uint sequence, ReadOnlySpan<byte> signed, Span<byte> destination)
    {
        Span<byte> sequenceBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(sequenceBytes, sequence);
        mac.AppendData(sequenceBytes);
        mac.AppendData(signed);
        _ = mac.GetHashAndReset(destination);
    }
}
