namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// A Merkle–Damgård hash with 64-byte blocks, big-endian words and a 64-bit bit length (SHA-1, SHA-256),
/// compressed over independent lanes. The PBKDF2 driver is generic over it.
/// </summary>
internal interface IMultiBufferHash
{
    /// <summary>The number of 32-bit words in the digest (and the state).</summary>
    static abstract int DigestWords { get; }

    /// <summary>The initial state words.</summary>
    static abstract ReadOnlySpan<uint> InitialState { get; }

    /// <summary>Compresses one 16-word block per lane into <paramref name="state"/>.</summary>
    static abstract void Compress<TOps, TVec>(Span<TVec> state, ReadOnlySpan<TVec> block)
        where TOps : ILaneOps<TVec>
        where TVec : unmanaged;
}
