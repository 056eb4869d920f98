using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// RFC 3962 AES keys for a run of (password, salt) pairs: PBKDF2-HMAC-SHA1 in SIMD lanes, then DK(tkey, "kerberos").
/// </summary>
/// <remarks>
/// Each PBKDF2 output block is its own lane: AES256 needs two SHA-1 blocks (20 + 12 bytes), so one password takes two
/// lanes, computed side by side; AES128 takes the first 16 bytes of block 1. Passwords over 64 UTF-8 bytes are
/// pre-hashed with SHA-1 as HMAC requires; salts over <see cref="MultiBufferPbkdf2.MaxSaltLength"/> bytes take the
/// scalar path for that item.
/// </remarks>
internal static class KerberosAesKeyKernel
{
    private const int Sha1Size = 20;
    private const int StackUtf8Limit = 256;

    public static void Run(
        SimdPath path,
        IReadOnlyList<string> passwords,
        IReadOnlyList<byte[]> salts,
        int start,
        int count,
        int keySize,
        int iterations,
        Span<byte> destination,
        BatchProgressTracker? progress,
        CancellationToken cancellationToken)
    {
        if (path == SimdPath.Scalar)
        {
            RunScalar(passwords, salts, start, count, keySize, iterations, destination, progress, cancellationToken);
            return;
        }

        int lanes = MultiBufferPbkdf2.LaneCount(path);
        int blocksPerKey = keySize == 32 ? 2 : 1;
        int itemsPerChunk = lanes / blocksPerKey;
        Span<uint> keyWords = stackalloc uint[16 * MultiBufferPbkdf2.MaxLanes];
        Span<uint> messageWords = stackalloc uint[MultiBufferPbkdf2.MaxFirstMessageBlocks * 16 * MultiBufferPbkdf2.MaxLanes];
        Span<uint> blockCounts = stackalloc uint[MultiBufferPbkdf2.MaxLanes];
        Span<uint> laneIterations = stackalloc uint[MultiBufferPbkdf2.MaxLanes];
        Span<uint> output = stackalloc uint[5 * MultiBufferPbkdf2.MaxLanes];
        Span<bool> itemIsScalar = stackalloc bool[MultiBufferPbkdf2.MaxLanes];
        Span<byte> utf8Stack = stackalloc byte[StackUtf8Limit];
        Span<byte> hmacKey = stackalloc byte[Sha1Size];
        Span<byte> tkeyBlocks = stackalloc byte[2 * Sha1Size];
        try
        {
            for (int chunkStart = 0; chunkStart < count; chunkStart += itemsPerChunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (count - chunkStart < itemsPerChunk)
                {
                    path = BatchKernelSelector.NarrowForTail(path, (count - chunkStart) * blocksPerKey);
                    if (path == SimdPath.Scalar)
                    {
                        RunScalar(passwords, salts, start + chunkStart, count - chunkStart, keySize, iterations, destination[(chunkStart * keySize)..], progress, cancellationToken);
                        break;
                    }

                    lanes = MultiBufferPbkdf2.LaneCount(path);
                    itemsPerChunk = lanes / blocksPerKey;
                }

                int inChunk = Math.Min(itemsPerChunk, count - chunkStart);
                int messageBlocks = 1;
                Span<uint> laneKeys = keyWords[..(16 * lanes)];
                Span<uint> laneMessages = messageWords[..(MultiBufferPbkdf2.MaxFirstMessageBlocks * 16 * lanes)];
                Span<uint> laneBlockCounts = blockCounts[..lanes];
                Span<uint> iterationCounts = laneIterations[..lanes];
                Span<uint> laneOutput = output[..(5 * lanes)];
                laneKeys.Clear();
                laneBlockCounts.Fill(1);
                iterationCounts.Fill(1);
                for (int item = 0; item < inChunk; item++)
                {
                    int index = start + chunkStart + item;
                    string password = passwords[index];
                    byte[] salt = salts[index];
                    if (salt.Length > MultiBufferPbkdf2.MaxSaltLength)
                    {
                        itemIsScalar[item] = true;
                        DeriveScalar(password, salt, iterations, destination.Slice((chunkStart + item) * keySize, keySize));
                        continue;
                    }

                    itemIsScalar[item] = false;
                    WriteLanes(password, salt, item, blocksPerKey, lanes, iterations, utf8Stack, hmacKey, laneKeys, laneMessages, laneBlockCounts, iterationCounts, ref messageBlocks);
                }

                MultiBufferPbkdf2.Run<Sha1x>(path, laneKeys, laneMessages, messageBlocks, laneBlockCounts, iterationCounts, laneOutput);
                for (int item = 0; item < inChunk; item++)
                {
                    if (itemIsScalar[item])
                    {
                        continue;
                    }

                    for (int b = 0; b < blocksPerKey; b++)
                    {
                        int lane = (item * blocksPerKey) + b;
                        for (int w = 0; w < 5; w++)
                        {
                            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(tkeyBlocks[((b * Sha1Size) + (4 * w))..], laneOutput[(w * lanes) + lane]);
                        }
                    }

                    KerberosDerivedKey.DeriveAesKey(tkeyBlocks[..keySize], destination.Slice((chunkStart + item) * keySize, keySize));
                }

                progress?.Advance(inChunk);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(keyWords));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(output));
            CryptographicOperations.ZeroMemory(utf8Stack);
            CryptographicOperations.ZeroMemory(hmacKey);
            CryptographicOperations.ZeroMemory(tkeyBlocks);
        }
    }

    private static void WriteLanes(
        string password,
        byte[] salt,
        int item,
        int blocksPerKey,
        int lanes,
        int iterations,
        Span<byte> utf8Stack,
        Span<byte> hmacKey,
        Span<uint> keyWords,
        Span<uint> messageWords,
        Span<uint> blockCounts,
        Span<uint> laneIterations,
        ref int messageBlocks)
    {
        byte[]? rented = null;
        int maxUtf8 = Encoding.UTF8.GetMaxByteCount(password.Length);
        Span<byte> utf8 = maxUtf8 <= utf8Stack.Length ? utf8Stack : (rented = ArrayPool<byte>.Shared.Rent(maxUtf8));
        try
        {
            // Encoding.UTF8 replaces lone surrogates with U+FFFD, as Windows does (same as the single-operation path).
            int utf8Length = Encoding.UTF8.GetBytes(password, utf8);
            ReadOnlySpan<byte> key = utf8[..utf8Length];
            if (utf8Length > 64)
            {
                // RFC 2104: a key longer than the block is replaced by its hash.
#pragma warning disable CA5350 // RFC 3962 is defined over HMAC-SHA1; this is not a choice of algorithm.
                SHA1.HashData(key, hmacKey);
#pragma warning restore CA5350
                key = hmacKey;
            }

            for (int b = 0; b < blocksPerKey; b++)
            {
                int lane = (item * blocksPerKey) + b;
                MultiBufferPbkdf2.WriteKey(key, keyWords, lane, lanes);
                int blocks = MultiBufferPbkdf2.WriteFirstMessage(salt, (uint)b + 1, messageWords, lane, lanes);
                blockCounts[lane] = (uint)blocks;
                laneIterations[lane] = (uint)iterations;
                messageBlocks = Math.Max(messageBlocks, blocks);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented is null ? utf8 : rented);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void RunScalar(
        IReadOnlyList<string> passwords,
        IReadOnlyList<byte[]> salts,
        int start,
        int count,
        int keySize,
        int iterations,
        Span<byte> destination,
        BatchProgressTracker? progress,
        CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DeriveScalar(passwords[start + i], salts[start + i], iterations, destination.Slice(i * keySize, keySize));
            progress?.Advance(1);
        }
    }

    /// <summary>The single-operation path (OpenSSL's PBKDF2) for one item.</summary>
    private static void DeriveScalar(string password, byte[] salt, int iterations, Span<byte> destination)
    {
        KerberosEncryptionType type = destination.Length == 32 ? KerberosEncryptionType.Aes256CtsHmacSha196 : KerberosEncryptionType.Aes128CtsHmacSha196;
        KerberosKeyDerivation.DeriveKey(type, password, salt, destination, iterations);
    }
}
