using PasswordHashSync.Cli.Arguments;

namespace PasswordHashSync.Cli.Output;

/// <summary>
/// A file that holds secrets, written atomically: the bytes go to a new temporary file in the same folder, created
/// exclusively with mode 0600 (O_CREAT|O_EXCL, so no existing file or symlink is opened), flushed to disk (fsync), and
/// renamed over the destination on <see cref="Commit"/>. A rename replaces a symlink at the destination rather than
/// writing through it. Until then, and if the run fails, the destination is untouched and the temporary file is deleted.
/// </summary>
internal sealed class AtomicPrivateFile : IDisposable
{
    private readonly string _path;
    private readonly string _temporaryPath;
    private FileStream? _stream;
    private bool _committed;

    private AtomicPrivateFile(string path, string temporaryPath, FileStream stream)
    {
        _path = path;
        _temporaryPath = temporaryPath;
        _stream = stream;
    }

    /// <summary>The stream to write to.</summary>
    public Stream Stream => _stream ?? throw new ObjectDisposedException(nameof(AtomicPrivateFile));

    /// <summary>Creates the temporary file beside <paramref name="path"/>.</summary>
    /// <param name="path">The destination.</param>
    /// <returns>The file.</returns>
    /// <exception cref="DataException">The folder does not exist or cannot be written.</exception>
    public static AtomicPrivateFile Create(string path)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new DataException($"cannot write {path}: no folder");
        if (System.IO.Directory.Exists(full))
        {
            throw new DataException($"cannot write {path}: it is a folder");
        }

        string temporary = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new AtomicPrivateFile(full, temporary, new FileStream(temporary, options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot write {path}: {e.Message}");
        }
    }

    /// <summary>Flushes to disk and renames the file into place.</summary>
    /// <exception cref="DataException">The rename failed.</exception>
    public void Commit()
    {
        FileStream stream = _stream ?? throw new ObjectDisposedException(nameof(AtomicPrivateFile));
        try
        {
            stream.Flush(flushToDisk: true);
            stream.Dispose();
            _stream = null;
            File.Move(_temporaryPath, _path, overwrite: true);
            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"cannot write {_path}: {e.Message}");
        }
    }

    /// <summary>Deletes the temporary file unless committed.</summary>
    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        if (!_committed)
        {
            try
            {
                File.Delete(_temporaryPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort; the temporary file is 0600 and named after the destination.
            }
        }
    }
}
