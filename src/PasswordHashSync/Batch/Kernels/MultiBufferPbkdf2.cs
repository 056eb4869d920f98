using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// One PBKDF2-HMAC output block (RFC 8018 F(P, S, c, i)) for up to 16 independent lanes at once, each with its
/// own HMAC key (at most one block), salt and iteration count.
/// </summary>
/// <remarks>
/// Buffers are word-major: word <c>w</c> of lane <c>l</c> sits at <c>w * laneCount + l</c>, so one vector load
/// takes the same word of every lane. Keys longer than a block must be pre-hashed by the caller (RFC 2104).
/// </remarks>
internal static class MultiBufferPbkdf2
{
    /// <summary>The most blocks the first message (salt ‖ INT(i) ‖ padding) may take: salts up to 243 bytes.</summary>
    public const int MaxFirstMessageBlocks = 4;

    /// <summary>The largest salt <see cref="MaxFirstMessageBlocks"/> holds (4 bytes of block index, 9 of padding).</summary>
    public const int MaxSaltLength = (MaxFirstMessageBlocks * 64) - 4 - 9;

    /// <summary>The widest lane count of any path.</summary>
    public const int MaxLanes = 16;

    /// <summary>The number of 64-byte blocks salt ‖ INT(i) takes once padded as the tail of a 64 + n byte message.</summary>
    public static int FirstMessageBlockCount(int saltLength) => (saltLength + 4 + 9 + 63) / 64;

    /// <summary>Writes a lane's HMAC key (at most 64 bytes, zero-padded) as 16 big-endian words.</summary>
    public static void WriteKey(ReadOnlySpan<byte> key, Span<uint> keyWords, int lane, int laneCount)
    {
        Span<byte> block = stackalloc byte[64];
        block.Clear();
        key.CopyTo(block);
        for (int w = 0; w < 16; w++)
        {
            keyWords[(w * laneCount) + lane] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * w)..]);
        }

        CryptographicOperations.ZeroMemory(block);
    }

    /// <summary>
    /// Writes salt ‖ INT(blockIndex) padded as the end of the inner message (which starts with the 64-byte key
    /// block); returns its block count.
    /// </summary>
    public static int WriteFirstMessage(ReadOnlySpan<byte> salt, uint blockIndex, Span<uint> messageWords, int lane, int laneCount)
    {
        int blocks = FirstMessageBlockCount(salt.Length);
        Span<byte> message = stackalloc byte[MaxFirstMessageBlocks * 64];
        message.Clear();
        salt.CopyTo(message);
        BinaryPrimitives.WriteUInt32BigEndian(message[salt.Length..], blockIndex);
        message[salt.Length + 4] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(message[((blocks * 64) - 8)..], (ulong)(64 + salt.Length + 4) * 8);
        for (int w = 0; w < blocks * 16; w++)
        {
            messageWords[(w * laneCount) + lane] = BinaryPrimitives.ReadUInt32BigEndian(message[(4 * w)..]);
        }

        return blocks;
    }

    /// <summary>Runs one PBKDF2 block for every lane of <paramref name="path"/> (which must not be scalar).</summary>
    /// <param name="path">The vector width.</param>
    /// <param name="keyWords">16 words per lane: the HMAC keys.</param>
    /// <param name="messageWords">16 words per lane per block: the first messages.</param>
    /// <param name="messageBlocks">The largest block count of any lane.</param>
    /// <param name="laneBlockCounts">Each lane's first-message block count.</param>
    /// <param name="iterations">Each lane's iteration count (at least 1).</param>
    /// <param name="output">Receives the digest words per lane (THash.DigestWords words).</param>
    public static void Run<THash>(
        SimdPath path,
        ReadOnlySpan<uint> keyWords,
        ReadOnlySpan<uint> messageWords,
        int messageBlocks,
        ReadOnlySpan<uint> laneBlockCounts,
        ReadOnlySpan<uint> iterations,
        Span<uint> output)
        where THash : IMultiBufferHash
    {
        switch (path)
        {
            case SimdPath.Vector512:
                Run<THash, Vector512Lanes, Vector512<uint>>(keyWords, messageWords, messageBlocks, laneBlockCounts, iterations, output);
                break;
            case SimdPath.Vector256:
                Run<THash, Vector256Lanes, Vector256<uint>>(keyWords, messageWords, messageBlocks, laneBlockCounts, iterations, output);
                break;
            case SimdPath.Vector128:
                Run<THash, Vector128Lanes, Vector128<uint>>(keyWords, messageWords, messageBlocks, laneBlockCounts, iterations, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "The PBKDF2 lane kernel runs on a vector path only.");
        }
    }

    /// <summary>The lane count of a vector path.</summary>
    public static int LaneCount(SimdPath path) => path switch
    {
        SimdPath.Vector512 => Vector512Lanes.LaneCount,
        SimdPath.Vector256 => Vector256Lanes.LaneCount,
        SimdPath.Vector128 => Vector128Lanes.LaneCount,
        _ => 1,
    };

    private static void Run<THash, TOps, TVec>(
        ReadOnlySpan<uint> keyWords,
        ReadOnlySpan<uint> messageWords,
        int messageBlocks,
        ReadOnlySpan<uint> laneBlockCounts,
        ReadOnlySpan<uint> iterations,
        Span<uint> output)
        where THash : IMultiBufferHash
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged
    {
        int lanes = TOps.LaneCount;
        int digestWords = THash.DigestWords;
        Span<TVec> block = stackalloc TVec[16];
        Span<TVec> ipad = stackalloc TVec[8];
        Span<TVec> opad = stackalloc TVec[8];
        Span<TVec> inner = stackalloc TVec[8];
        Span<TVec> u = stackalloc TVec[8];
        Span<TVec> t = stackalloc TVec[8];
        ipad = ipad[..digestWords];
        opad = opad[..digestWords];
        inner = inner[..digestWords];
        u = u[..digestWords];
        t = t[..digestWords];
        try
        {
            // HMAC pad states, computed once per lane: every later compression starts from one of them.
            ReadOnlySpan<uint> initial = THash.InitialState;
            for (int i = 0; i < digestWords; i++)
            {
                ipad[i] = TOps.Broadcast(initial[i]);
                opad[i] = ipad[i];
            }

            for (int w = 0; w < 16; w++)
            {
                block[w] = TOps.Xor(TOps.Load(keyWords.Slice(w * lanes, lanes)), TOps.Broadcast(0x36363636));
            }

            THash.Compress<TOps, TVec>(ipad, block);
            for (int w = 0; w < 16; w++)
            {
                block[w] = TOps.Xor(TOps.Load(keyWords.Slice(w * lanes, lanes)), TOps.Broadcast(0x5c5c5c5c));
            }

            THash.Compress<TOps, TVec>(opad, block);

            // U1's inner hash: lanes whose salt ended in an earlier block keep their state (masked update).
            ipad.CopyTo(inner);
            TVec blockCounts = TOps.Load(laneBlockCounts);
            for (int b = 0; b < messageBlocks; b++)
            {
                for (int w = 0; w < 16; w++)
                {
                    block[w] = TOps.Load(messageWords.Slice(((b * 16) + w) * lanes, lanes));
                }

                inner.CopyTo(u);
                THash.Compress<TOps, TVec>(u, block);
                TVec active = TOps.LessThanOrEqual(TOps.Broadcast((uint)b + 1), blockCounts);
                for (int i = 0; i < digestWords; i++)
                {
                    inner[i] = TOps.Select(active, u[i], inner[i]);
                }
            }

            // From here every message is one digest (after the 64-byte pad block): a constant padding tail.
            for (int w = digestWords; w < 16; w++)
            {
                block[w] = TOps.Broadcast(0);
            }

            block[digestWords] = TOps.Broadcast(0x80000000);
            block[15] = TOps.Broadcast((uint)(64 + (4 * digestWords)) * 8);

            inner.CopyTo(block);
            opad.CopyTo(u);
            THash.Compress<TOps, TVec>(u, block);
            u.CopyTo(t);

            TVec iterationCounts = TOps.Load(iterations);
            uint maxIterations = 0;
            bool uniform = true;
            for (int l = 0; l < lanes; l++)
            {
                maxIterations = Math.Max(maxIterations, iterations[l]);
                uniform &= iterations[l] == iterations[0];
            }

            for (uint j = 2; j <= maxIterations; j++)
            {
                u.CopyTo(block);
                ipad.CopyTo(inner);
                THash.Compress<TOps, TVec>(inner, block);
                inner.CopyTo(block);
                opad.CopyTo(u);
                THash.Compress<TOps, TVec>(u, block);
                if (uniform)
                {
                    for (int i = 0; i < digestWords; i++)
                    {
                        t[i] = TOps.Xor(t[i], u[i]);
                    }
                }
                else
                {
                    // Lanes past their own iteration count stop accumulating.
                    TVec active = TOps.LessThanOrEqual(TOps.Broadcast(j), iterationCounts);
                    for (int i = 0; i < digestWords; i++)
                    {
                        t[i] = TOps.Xor(t[i], TOps.And(u[i], active));
                    }
                }
            }

            for (int i = 0; i < digestWords; i++)
            {
                TOps.Store(t[i], output.Slice(i * lanes, lanes));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(block));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(ipad));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(opad));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(inner));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(u));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(t));
        }
    }
}
