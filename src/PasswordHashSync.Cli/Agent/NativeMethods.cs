using System.Runtime.InteropServices;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// The libc calls .NET does not expose: fsync(2) of a directory, so a rename inside it is durable
/// (POSIX: "fsync ... on a directory ... the directory entries are written"); geteuid(2) and the owner of an open file
/// from statx(2) (Linux, glibc 2.28 or later: struct statx has one layout on every architecture, unlike struct stat),
/// so a secret file owned by another user is refused. Linux and other Unix only.
/// </summary>
internal static class NativeMethods
{
    /// <summary>O_RDONLY (0 on every Unix): enough to open a directory for fsync.</summary>
    public const int ORdOnly = 0;

    // The path is marshalled as UTF-8 explicitly (MarshalAs LPUTF8Str), which is what the kernel takes; CA2101 only
    // knows the CharSet forms.
#pragma warning disable CA2101
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int OpenNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
#pragma warning restore CA2101

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FSyncNative(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int CloseNative(int fd);

    // AT_EMPTY_PATH: statx of the descriptor itself; STATX_UID, STATX_GID: the owner is wanted. struct statx is 256
    // bytes, stx_mask at offset 0, stx_uid at 20 and stx_gid at 24 (linux/stat.h), in the machine's byte order.
    private const int AtEmptyPath = 0x1000;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;
    private const int StatxGidOffset = 24;

#pragma warning disable CA2101
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int StatxNative(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
#pragma warning restore CA2101

    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEUidNative();

    public static int Open(string path, int flags) => OpenNative(path, flags);

    public static int FSync(int fd) => FSyncNative(fd);

    public static int Close(int fd) => CloseNative(fd);

    public static uint GetEffectiveUserId() => GetEUidNative();

    /// <summary>The uid and gid owning the open file, or <see langword="null"/> when statx failed (the error is the last P/Invoke error).</summary>
    public static (uint User, uint Group)? GetOwner(SafeHandle handle)
    {
        byte[] buffer = new byte[StatxSize];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            if (StatxNative(fd, string.Empty, AtEmptyPath, StatxUid | StatxGid, buffer) != 0
                || (BitConverter.ToUInt32(buffer, 0) & (StatxUid | StatxGid)) != (StatxUid | StatxGid))
            {
                return null;
            }

            return (BitConverter.ToUInt32(buffer, StatxUidOffset), BitConverter.ToUInt32(buffer, StatxGidOffset));
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
