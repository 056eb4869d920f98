using System.Runtime.InteropServices;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// The three libc calls .NET does not expose: fsync(2) of a directory, so a rename inside it is durable
/// (POSIX: "fsync ... on a directory ... the directory entries are written"). Linux and other Unix only.
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

    public static int Open(string path, int flags) => OpenNative(path, flags);

    public static int FSync(int fd) => FSyncNative(fd);

    public static int Close(int fd) => CloseNative(fd);
}
