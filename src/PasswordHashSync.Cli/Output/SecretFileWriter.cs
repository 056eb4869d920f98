using System.Security.Cryptography;
using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Output;

/// <summary>
/// Writes every file of pwsync that holds secrets (keytabs, sync records with NT hashes and Kerberos keys): owner-only,
/// atomic, and never through a symbolic link (issue 13, items 1 and 2).
/// </summary>
/// <remarks>
/// <para>The content goes to a new temporary file in the target's folder, created with <c>O_CREAT|O_EXCL</c> and mode
/// 0600 (<see cref="FileMode.CreateNew"/> with <see cref="FileStreamOptions.UnixCreateMode"/>; the mode is set again
/// on the handle so a strict umask cannot leave it unreadable to its owner), written, flushed to disk (fsync), then
/// renamed over the target (<c>rename(2)</c>, atomic within one file system). A reader therefore sees the previous
/// file or the complete new one, never a torn file; a run killed before the rename leaves the previous file (and at
/// worst a stray <c>.NAME.*.tmp</c> file, which is itself 0600). An existing file of any mode is replaced by the new
/// 0600 one.</para>
/// <para>Symbolic links: a target that is a symbolic link is refused (a data error naming the option). Following it
/// would write secrets wherever the link points; silently replacing it would surprise whoever made it. The rename
/// itself never follows a link either (it replaces the directory entry), so a link planted after the check cannot
/// redirect the write: the file it points to is never opened.</para>
/// </remarks>
internal static class SecretFileWriter
{
    /// <summary>The mode of every secret file: read and write for the owner only (0600).</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [ThreadStatic]
    private static Action<string>? t_beforeRename;

    /// <summary>A test seam, per thread: runs after the content is on disk and before the rename (a failure here must keep the previous file).</summary>
    internal static Action<string>? BeforeRenameForTesting
    {
        get => t_beforeRename;
        set => t_beforeRename = value;
    }

    /// <summary>Writes the file <paramref name="path"/> from what <paramref name="write"/> puts in the stream.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="option">The option that named it, for messages (for example <c>--output</c>).</param>
    /// <param name="write">Writes the content; when it throws, the target is left as it was.</param>
    /// <exception cref="DataException">The path names a folder, a symbolic link, or a folder that does not exist, or cannot be written.</exception>
    public static void Write(string path, string option, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteIf(path, option, stream =>
        {
            write(stream);
            return true;
        });
    }

    /// <summary>
    /// Writes the file <paramref name="path"/> from what <paramref name="write"/> puts in the stream, and puts it in
    /// place only when <paramref name="write"/> returns <see langword="true"/> (a run that failed half-way, for example
    /// a domain controller that dropped the connection, keeps the previous file).
    /// </summary>
    /// <param name="path">The target file.</param>
    /// <param name="option">The option that named it, for messages (for example <c>--output</c>).</param>
    /// <param name="write">Writes the content and says whether to keep it; when it throws, the target is left as it was.</param>
    /// <param name="unbuffered">
    /// No FileStream buffer: each write goes to the file as it is. For a writer that zeroes its own buffers after each
    /// write (<c>pwsync replicate</c>), so no copy of the secrets stays in a buffer it cannot zero.
    /// </param>
    /// <returns>What <paramref name="write"/> returned.</returns>
    /// <exception cref="DataException">The path names a folder, a symbolic link, or a folder that does not exist, or cannot be written.</exception>
    public static bool WriteIf(string path, string option, Func<Stream, bool> write, bool unbuffered = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        string target = Check(path, option);
        string folder = Path.GetDirectoryName(target)!;
        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        bool renamed = false;
        try
        {
            using (FileStream stream = CreateExclusive(temporary, path, unbuffered))
            {
                if (!write(stream))
                {
                    return false;
                }

                stream.Flush(flushToDisk: true);
            }
            BeforeRenameForTesting?.Invoke(temporary);
            File.Move(temporary, target, overwrite: true);
            renamed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot write {path}: {e.Message}");
        }
        finally
        {
            if (!renamed)
            {
                TryDelete(temporary);
            }
        }

        return true;
    }

    private static string Check(string path, string option)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new DataException($"{option} needs a file name");
        }
        string target = Path.GetFullPath(path);
        var info = new FileInfo(target);
        if (info.LinkTarget is not null)
        {
            throw new DataException($"{option} {path} is a symbolic link: pwsync writes secret files only to a real path (give the link's target, or remove the link)");
        }
        if (System.IO.Directory.Exists(target))
        {
            throw new DataException($"{option} {path} is a folder: give a file name, for example {Path.Combine(path, "records.jsonl")}");
        }
        string? folder = Path.GetDirectoryName(target);
        if (folder is null || !System.IO.Directory.Exists(folder))
        {
            throw new DataException($"{option} {path}: the folder {folder ?? path} does not exist");
        }
        return target;
    }

    private static FileStream CreateExclusive(string temporary, string path, bool unbuffered)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (unbuffered)
        {
            options.BufferSize = 0;
        }

        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(temporary, options);
        }
        catch (UnauthorizedAccessException)
        {
            throw new DataException($"cannot write {path}: permission denied in its folder");
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stream.SafeFileHandle, Mode);
        }
        return stream;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the stray file is 0600 and named as pwsync's.
        }
    }
}
