namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// Pinned room for the Kerberos keys a reader decodes: slices of a 16 KiB pinned chunk per thread, each handed out once
/// (never reused), so a few hundred accounts share one pinned allocation.
/// </summary>
/// <remarks>
/// Each pinned allocation takes the runtime's lock for the pinned heap; one per account was still 4 % of a sync's CPU,
/// contended by the planner and the pool workers. A slice stays where it is for its whole life (the chunk is pinned) and
/// the <see cref="Kerberos.KerberosKey"/> that owns it zeroes it on dispose, as with an array of its own; the chunk is
/// collected when no key refers to it any more.
/// </remarks>
internal static class PinnedKeySlab
{
    private const int ChunkSize = 16 * 1024;

    [ThreadStatic]
    private static byte[]? t_chunk;

    [ThreadStatic]
    private static int t_used;

    /// <summary><paramref name="length"/> zeroed pinned bytes at <c>Offset</c> of <c>Array</c>, for the caller alone.</summary>
    public static (byte[] Array, int Offset) Take(int length)
    {
        if (length > ChunkSize / 4)
        {
            return (SecretBytes.Allocate(length), 0);
        }

        if (t_chunk is null || ChunkSize - t_used < length)
        {
            t_chunk = SecretBytes.Allocate(ChunkSize);
            t_used = 0;
        }

        int offset = t_used;
        t_used += length;
        return (t_chunk, offset);
    }
}
