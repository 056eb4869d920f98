namespace PasswordHashSync.Batch.Kernels;

/// <summary>
/// The validated inputs of a salted-digest batch: NT hashes, salts (one fixed length or a length each) and
/// iteration counts (one for all or one each).
/// </summary>
internal readonly ref struct SaltedDigestInputs
{
    private readonly ReadOnlySpan<byte> _salts;
    private readonly int _fixedSaltLength;
    private readonly ReadOnlySpan<int> _saltLengths;
    private readonly int _fixedIterations;
    private readonly ReadOnlySpan<int> _iterationCounts;

    public SaltedDigestInputs(ReadOnlySpan<byte> ntHashes, ReadOnlySpan<byte> salts, int fixedSaltLength, ReadOnlySpan<int> saltLengths, int fixedIterations, ReadOnlySpan<int> iterationCounts)
    {
        NtHashes = ntHashes;
        _salts = salts;
        _fixedSaltLength = fixedSaltLength;
        _saltLengths = saltLengths;
        _fixedIterations = fixedIterations;
        _iterationCounts = iterationCounts;
    }

    public ReadOnlySpan<byte> NtHashes { get; }

    public int Count => NtHashes.Length / NtHash.SizeInBytes;

    /// <summary>Salt <paramref name="index"/>; with per-item lengths, indexes must be read in order (the offset runs on).</summary>
    public ReadOnlySpan<byte> GetSalt(int index, ref int runningOffset)
    {
        if (_fixedSaltLength > 0)
        {
            return _salts.Slice(index * _fixedSaltLength, _fixedSaltLength);
        }

        ReadOnlySpan<byte> salt = _salts.Slice(runningOffset, _saltLengths[index]);
        runningOffset += _saltLengths[index];
        return salt;
    }

    public int GetIterations(int index) => _iterationCounts.IsEmpty ? _fixedIterations : _iterationCounts[index];
}
