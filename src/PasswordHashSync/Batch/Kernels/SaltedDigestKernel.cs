using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PasswordHashSync.Digest;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// Salted digests (<see cref="SaltedDigest.ComputeHash"/>) for a run of NT hashes: PBKDF2-HMAC-SHA256 over the
/// UTF-16LE upper-case hex of each NT hash, one lane per user. The 64-byte password is exactly one HMAC block, so
/// it needs no pre-hash, and a salt of up to 51 bytes keeps U1's inner message to one block (64-byte salts take two).
/// </summary>
internal static class SaltedDigestKernel
{
    private const int HexPasswordSize = 4 * NtHash.SizeInBytes;

    public static void Run(SimdPath path, SaltedDigestInputs inputs, Span<byte> destination, BatchProgressTracker? progress, CancellationToken cancellationToken)
    {
        int saltOffset = 0;
        if (path == SimdPath.Scalar)
        {
            RunScalar(inputs, 0, ref saltOffset, destination, progress, cancellationToken);
            return;
        }

        int lanes = MultiBufferPbkdf2.LaneCount(path);
        int count = inputs.Count;
        Span<uint> keyWords = stackalloc uint[16 * MultiBufferPbkdf2.MaxLanes];
        Span<uint> messageWords = stackalloc uint[MultiBufferPbkdf2.MaxFirstMessageBlocks * 16 * MultiBufferPbkdf2.MaxLanes];
        Span<uint> blockCounts = stackalloc uint[MultiBufferPbkdf2.MaxLanes];
        Span<uint> iterations = stackalloc uint[MultiBufferPbkdf2.MaxLanes];
        Span<uint> output = stackalloc uint[8 * MultiBufferPbkdf2.MaxLanes];
        Span<byte> hexPassword = stackalloc byte[HexPasswordSize];
        try
        {
            for (int start = 0; start < count; start += lanes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (count - start < lanes)
                {
                    path = BatchKernelSelector.NarrowForTail(path, count - start);
                    if (path == SimdPath.Scalar)
                    {
                        RunScalar(inputs, start, ref saltOffset, destination, progress, cancellationToken);
                        break;
                    }

                    lanes = MultiBufferPbkdf2.LaneCount(path);
                }

                int inChunk = Math.Min(lanes, count - start);
                int messageBlocks = 1;
                Span<uint> laneKeys = keyWords[..(16 * lanes)];
                Span<uint> laneMessages = messageWords[..(MultiBufferPbkdf2.MaxFirstMessageBlocks * 16 * lanes)];
                Span<uint> laneBlockCounts = blockCounts[..lanes];
                Span<uint> laneIterations = iterations[..lanes];
                Span<uint> laneOutput = output[..(8 * lanes)];
                laneKeys.Clear();

                // Lanes past the end of the batch hash zeros once; their output is dropped.
                laneBlockCounts.Fill(1);
                laneIterations.Fill(1);
                for (int l = 0; l < inChunk; l++)
                {
                    int index = start + l;
                    ReadOnlySpan<byte> salt = inputs.GetSalt(index, ref saltOffset);
                    SaltedDigest.WriteUtf16UpperHex(inputs.NtHashes.Slice(index * NtHash.SizeInBytes, NtHash.SizeInBytes), hexPassword);
                    MultiBufferPbkdf2.WriteKey(hexPassword, laneKeys, l, lanes);
                    int blocks = MultiBufferPbkdf2.WriteFirstMessage(salt, 1, laneMessages, l, lanes);
                    laneBlockCounts[l] = (uint)blocks;
                    messageBlocks = Math.Max(messageBlocks, blocks);
                    laneIterations[l] = (uint)inputs.GetIterations(index);
                }

                MultiBufferPbkdf2.Run<Sha256x>(path, laneKeys, laneMessages, messageBlocks, laneBlockCounts, laneIterations, laneOutput);
                for (int l = 0; l < inChunk; l++)
                {
                    Span<byte> hash = destination.Slice((start + l) * SaltedDigest.HashSize, SaltedDigest.HashSize);
                    for (int i = 0; i < 8; i++)
                    {
                        BinaryPrimitives.WriteUInt32BigEndian(hash[(4 * i)..], laneOutput[(i * lanes) + l]);
                    }
                }

                progress?.Advance(inChunk);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(keyWords));
            CryptographicOperations.ZeroMemory(hexPassword);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(output));
        }
    }

    private static void RunScalar(SaltedDigestInputs inputs, int start, ref int saltOffset, Span<byte> destination, BatchProgressTracker? progress, CancellationToken cancellationToken)
    {
        // The scalar path is the single-operation path (OpenSSL's PBKDF2 through Rfc2898DeriveBytes): the fastest
        // one-at-a-time code .NET has.
        for (int i = start; i < inputs.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<byte> salt = inputs.GetSalt(i, ref saltOffset);
            SaltedDigest.ComputeHashCore(
                inputs.NtHashes.Slice(i * NtHash.SizeInBytes, NtHash.SizeInBytes),
                salt,
                inputs.GetIterations(i),
                destination.Slice(i * SaltedDigest.HashSize, SaltedDigest.HashSize));
            progress?.Advance(1);
        }
    }
}
