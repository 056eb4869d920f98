namespace PasswordHashSync.Batch;

/// <summary>A window of a password list: index 0 is <c>passwords[start]</c>.</summary>
internal readonly struct ListPasswordSource(IReadOnlyList<string> passwords, int start, int count) : IPasswordSource
{
    public int Count => count;

    public ReadOnlySpan<char> Get(int index) => passwords[start + index];
}
