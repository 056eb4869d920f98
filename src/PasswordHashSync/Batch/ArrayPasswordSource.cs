namespace PasswordHashSync.Batch;

/// <summary>
/// A window of a password array: index 0 is <c>passwords[start]</c>. Reading an array directly avoids the interface
/// dispatch of <see cref="IReadOnlyList{T}"/>, which costs as much as a fifth of an NT hash.
/// </summary>
internal readonly struct ArrayPasswordSource(string[] passwords, int start, int count) : IPasswordSource
{
    public int Count => count;

    public ReadOnlySpan<char> Get(int index) => passwords[start + index];
}
