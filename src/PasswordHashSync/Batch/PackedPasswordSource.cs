namespace PasswordHashSync.Batch;

/// <summary>Passwords laid end to end in one character span, cut by their lengths; read in increasing order.</summary>
internal ref struct PackedPasswordSource(ReadOnlySpan<char> characters, ReadOnlySpan<int> lengths) : IPasswordSource
{
    private readonly ReadOnlySpan<char> _characters = characters;
    private readonly ReadOnlySpan<int> _lengths = lengths;
    private int _nextIndex;
    private int _offset;

    public readonly int Count => _lengths.Length;

    public ReadOnlySpan<char> Get(int index)
    {
        // Offsets are prefix sums: skipping forward is allowed (it adds the skipped lengths), going back is not.
        if (index < _nextIndex)
        {
            throw new InvalidOperationException("Packed passwords are read in increasing order.");
        }

        for (; _nextIndex < index; _nextIndex++)
        {
            _offset += _lengths[_nextIndex];
        }

        ReadOnlySpan<char> password = _characters.Slice(_offset, _lengths[index]);
        _offset += _lengths[index];
        _nextIndex = index + 1;
        return password;
    }
}
