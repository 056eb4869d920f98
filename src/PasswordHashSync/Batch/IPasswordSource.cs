namespace PasswordHashSync.Batch;

/// <summary>Passwords read in index order by the batch loops, from a list or a packed character arena.</summary>
internal interface IPasswordSource
{
    /// <summary>The number of passwords.</summary>
    int Count { get; }

    /// <summary>Password <paramref name="index"/>; packed sources require increasing indexes.</summary>
    ReadOnlySpan<char> Get(int index);
}
