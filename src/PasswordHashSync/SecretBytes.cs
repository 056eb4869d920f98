namespace PasswordHashSync;

/// <summary>
/// Arrays for key material: allocated on the pinned object heap, so the garbage collector never moves them. A
/// compacting GC copies an ordinary array and leaves the old bytes behind in free memory, where zeroing the array
/// later cannot reach them; a pinned array has one location for its whole life, and that is the one
/// <see cref="System.Security.Cryptography.CryptographicOperations.ZeroMemory"/> wipes.
/// </summary>
internal static class SecretBytes
{
    /// <summary>A zeroed pinned array of <paramref name="length"/> bytes.</summary>
    public static byte[] Allocate(int length) => length == 0 ? [] : GC.AllocateArray<byte>(length, pinned: true);

    /// <summary>A pinned copy of <paramref name="source"/>.</summary>
    public static byte[] Copy(ReadOnlySpan<byte> source)
    {
        byte[] copy = Allocate(source.Length);
        source.CopyTo(copy);
        return copy;
    }
}
