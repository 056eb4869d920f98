using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// NT hashes (MD4 of the UTF-16LE code units) for a run of passwords, one MD4 block per lane.
/// </summary>
/// <remarks>
/// A password of up to 27 characters (54 bytes + 9 bytes of padding) fits one MD4 block; that is nearly every
/// password, and it lets every lane do exactly one compression. Longer passwords take the scalar MD4 inside the
/// same loop, so the result never depends on which lanes they share a chunk with.
/// </remarks>
internal static class NtHashKernel
{
    /// <summary>The longest password (in UTF-16 code units) that fits one MD4 block.</summary>
    public const int MaxSingleBlockLength = 27;

    /// <summary>How many items pass between progress reports (NT hashes are too fast to report each chunk).</summary>
    public const int ProgressInterval = 16384;

    /// <summary>Passwords the scalar path hashes between cancellation checks and progress updates.</summary>
    private const int ScalarChunk = 1024;

    /// <summary>The widest lane count of the generic kernel (16; the AVX-512 form runs 48).</summary>
    private const int MaxLanes = 16;

    public static void Run<TSource>(SimdPath path, ref TSource source, Span<byte> destination, BatchProgressTracker? progress, CancellationToken cancellationToken)
        where TSource : IPasswordSource, allows ref struct
    {
        switch (path)
        {
            case SimdPath.Vector512 when Avx512F.IsSupported:
                RunAvx512x3(ref source, destination, progress, cancellationToken);
                break;
            case SimdPath.Vector512:
                Run<TSource, Vector512Lanes, Vector512<uint>>(ref source, destination, progress, cancellationToken);
                break;
            case SimdPath.Vector256:
                Run<TSource, Vector256Lanes, Vector256<uint>>(ref source, destination, progress, cancellationToken);
                break;
            case SimdPath.Vector128:
                Run<TSource, Vector128Lanes, Vector128<uint>>(ref source, destination, progress, cancellationToken);
                break;
            default:
                RunScalar(ref source, destination, progress, cancellationToken);
                break;
        }
    }

    private static void RunScalar<TSource>(ref TSource source, Span<byte> destination, BatchProgressTracker? progress, CancellationToken cancellationToken)
        where TSource : IPasswordSource, allows ref struct
    {
        int count = source.Count;
        for (int start = 0; start < count; start += ScalarChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int end = Math.Min(count, start + ScalarChunk);
            for (int i = start; i < end; i++)
            {
                NtHash.TryCompute(source.Get(i), destination.Slice(i * NtHash.SizeInBytes, NtHash.SizeInBytes), out _);
            }

            progress?.Advance(end - start);
        }
    }

    private static void Run<TSource, TOps, TVec>(ref TSource source, Span<byte> destination, BatchProgressTracker? progress, CancellationToken cancellationToken)
        where TSource : IPasswordSource, allows ref struct
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged
    {
        int lanes = TOps.LaneCount;
        int count = source.Count;

        // laneMajor: each lane's 16 message words side by side (filled by a char copy);
        // wordMajor: the transpose, so one vector load takes one word of every lane.
        Span<uint> laneMajor = stackalloc uint[16 * MaxLanes];
        Span<uint> wordMajor = stackalloc uint[16 * MaxLanes];
        Span<uint> digests = stackalloc uint[4 * MaxLanes];
        Span<TVec> block = stackalloc TVec[16];
        Span<TVec> state = stackalloc TVec[4];
        Span<bool> laneIsScalar = stackalloc bool[MaxLanes];
        laneMajor = laneMajor[..(16 * lanes)];
        wordMajor = wordMajor[..(16 * lanes)];
        digests = digests[..(4 * lanes)];
        ReadOnlySpan<uint> initial = Md4x.InitialState;
        try
        {
            for (int start = 0; start < count; start += lanes)
            {
                if ((start & 1023) < lanes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                int inChunk = Math.Min(lanes, count - start);
                Pack(ref source, start, inChunk, laneMajor, laneIsScalar, destination);
                if (typeof(TVec) == typeof(Vector512<uint>) && Avx512F.IsSupported)
                {
                    LaneTranspose.Avx512(laneMajor, MemoryMarshal.Cast<TVec, Vector512<uint>>(block));
                }
                else
                {
                    LaneTranspose.Scalar<TOps, TVec>(laneMajor, wordMajor, block);
                }

                for (int i = 0; i < 4; i++)
                {
                    state[i] = TOps.Broadcast(initial[i]);
                }

                Md4x.Compress<TOps, TVec>(state, block);
                for (int i = 0; i < 4; i++)
                {
                    TOps.Store(state[i], digests.Slice(i * lanes, lanes));
                }

                WriteDigests(digests, lanes, start, inChunk, laneIsScalar, destination);
                progress?.Advance(inChunk);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(laneMajor));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(wordMajor));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(digests));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(block));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(state));
        }
    }

    private static void RunAvx512x3<TSource>(ref TSource source, Span<byte> destination, BatchProgressTracker? progress, CancellationToken cancellationToken)
        where TSource : IPasswordSource, allows ref struct
    {
        const int Lanes = Md4x3Avx512.LaneCount;
        int count = source.Count;
        Span<uint> laneMajor = stackalloc uint[16 * Lanes];
        Span<uint> digests = stackalloc uint[4 * Lanes];
        Span<Vector512<uint>> block = stackalloc Vector512<uint>[48];
        Span<Vector512<uint>> state = stackalloc Vector512<uint>[12];
        Span<bool> laneIsScalar = stackalloc bool[Lanes];
        ReadOnlySpan<uint> initial = Md4x.InitialState;
        try
        {
            for (int start = 0; start < count; start += Lanes)
            {
                if ((start & 1023) < Lanes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                int inChunk = Math.Min(Lanes, count - start);
                bool anyScalar = Pack(ref source, start, inChunk, laneMajor, laneIsScalar, destination);
                for (int chain = 0; chain < 3; chain++)
                {
                    LaneTranspose.Avx512(laneMajor.Slice(256 * chain, 256), block.Slice(16 * chain, 16));
                    for (int i = 0; i < 4; i++)
                    {
                        state[(4 * chain) + i] = Vector512.Create(initial[i]);
                    }
                }

                Md4x3Avx512.Compress(state, block);
                if (inChunk == Lanes && !anyScalar)
                {
                    // The common case: a full chunk of one-block passwords, transposed back and stored 64 bytes at a time.
                    Span<byte> hashes = destination.Slice(start * NtHash.SizeInBytes, Lanes * NtHash.SizeInBytes);
                    for (int chain = 0; chain < 3; chain++)
                    {
                        LaneTranspose.StoreDigestsAvx512(
                            state[4 * chain], state[(4 * chain) + 1], state[(4 * chain) + 2], state[(4 * chain) + 3], hashes.Slice(256 * chain, 256));
                    }
                }
                else
                {
                    for (int chain = 0; chain < 3; chain++)
                    {
                        for (int i = 0; i < 4; i++)
                        {
                            state[(4 * chain) + i].CopyTo(digests.Slice((i * Lanes) + (16 * chain), 16));
                        }
                    }

                    WriteDigests(digests, Lanes, start, inChunk, laneIsScalar, destination);
                }
                progress?.Advance(inChunk);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(laneMajor));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(digests));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(block));
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(state));
        }
    }

    /// <summary>
    /// Writes each one-block password of the chunk as its padded MD4 block (lane-major); hashes longer ones with the
    /// scalar MD4 straight into the destination and leaves their lane zero. Returns whether any lane was scalar.
    /// </summary>
    private static bool Pack<TSource>(ref TSource source, int start, int inChunk, scoped Span<uint> laneMajor, scoped Span<bool> laneIsScalar, scoped Span<byte> destination)
        where TSource : IPasswordSource, allows ref struct
    {
        laneMajor.Clear();
        bool anyScalar = false;
        for (int l = 0; l < inChunk; l++)
        {
            ReadOnlySpan<char> password = source.Get(start + l);
            if (password.Length > MaxSingleBlockLength)
            {
                NtHash.TryCompute(password, destination.Slice((start + l) * NtHash.SizeInBytes, NtHash.SizeInBytes), out _);
                laneIsScalar[l] = true;
                anyScalar = true;
                continue;
            }

            laneIsScalar[l] = false;
            Span<uint> words = laneMajor.Slice(l * 16, 16);

            // Two UTF-16LE code units make one little-endian MD4 word, so a char copy is the packing.
            Span<char> chars = MemoryMarshal.Cast<uint, char>(words);
            password.CopyTo(chars);
            chars[password.Length] = '\u0080';
            words[14] = (uint)password.Length * 16;
        }

        return anyScalar;
    }

    /// <summary>Writes the digests (word-major, <paramref name="lanes"/> apart) of the chunk's one-block lanes.</summary>
    private static void WriteDigests(ReadOnlySpan<uint> digests, int lanes, int start, int inChunk, ReadOnlySpan<bool> laneIsScalar, Span<byte> destination)
    {
        for (int l = 0; l < inChunk; l++)
        {
            if (laneIsScalar[l])
            {
                continue;
            }

            Span<byte> hash = destination.Slice((start + l) * NtHash.SizeInBytes, NtHash.SizeInBytes);
            for (int i = 0; i < 4; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(hash[(4 * i)..], digests[(i * lanes) + l]);
            }
        }
    }
}
