using System.Globalization;
using System.Runtime.InteropServices;

namespace PasswordHashSync.Cli.Agent;

/// <summary>
/// The records outbox: a directory of JSON-lines segments named so that name order is write order
/// (<c>NNNNNNNNNNNNNNNNNNN.jsonl</c>, 19 digits). A segment is written under a hidden temporary name, flushed to disk,
/// renamed to its final name and the directory is flushed, so a reader never sees a half-written segment and a
/// segment that is visible survives a crash or a power loss. Files are created 0600 (records carry password digests).
/// </summary>
/// <remarks>
/// Consumers take segments in name order, ignore names that start with '.', and delete a segment once it is handled.
/// Numbers are taken from the clock (UTC ticks) and always grow past the largest segment in the directory and the last
/// one this process wrote, so order holds across restarts while segments remain.
/// </remarks>
internal sealed class RecordOutbox
{
    /// <summary>The extension of finished segments.</summary>
    public const string SegmentExtension = ".jsonl";

    private readonly TimeProvider _time;
    private long _last;

    /// <summary>Creates the outbox, making the directory (0700) when it does not exist.</summary>
    /// <param name="directory">The outbox directory.</param>
    /// <param name="time">The clock the segment numbers come from.</param>
    public RecordOutbox(string directory, TimeProvider time)
    {
        DirectoryPath = Path.GetFullPath(directory);
        _time = time;
        if (!System.IO.Directory.Exists(DirectoryPath))
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(DirectoryPath);
            }
            else
            {
                System.IO.Directory.CreateDirectory(DirectoryPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        _last = LargestExistingNumber();
    }

    /// <summary>The outbox directory.</summary>
    public string DirectoryPath { get; }

    /// <summary>The finished segments, in order.</summary>
    /// <returns>Their full paths.</returns>
    public IReadOnlyList<string> Segments() =>
        [.. System.IO.Directory.EnumerateFiles(DirectoryPath, "*" + SegmentExtension)
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .Order(StringComparer.Ordinal)];

    /// <summary>Writes one segment durably and atomically.</summary>
    /// <param name="content">The JSON lines (each ending in '\n').</param>
    /// <param name="cancellationToken">Cancels before the segment becomes visible.</param>
    /// <returns>The full path of the finished segment.</returns>
    public async Task<string> WriteSegmentAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        long number = Math.Max(_time.GetUtcNow().UtcTicks, _last + 1);
        string name = number.ToString("D19", CultureInfo.InvariantCulture) + SegmentExtension;
        string final = Path.Combine(DirectoryPath, name);
        string temporary = Path.Combine(DirectoryPath, "." + name + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, final, overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        // The rename is durable only once the directory entry is: flush the directory before the caller saves the
        // watermark that says these records were handed on.
        FlushDirectory(DirectoryPath);
        _last = number;
        return final;
    }

    private long LargestExistingNumber()
    {
        long largest = 0;
        foreach (string path in Segments())
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                largest = Math.Max(largest, n);
            }
        }

        return largest;
    }

    private static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals the rename; there is no directory handle to flush.
        }

        int fd = NativeMethods.Open(directory, NativeMethods.ORdOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open the outbox directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (NativeMethods.FSync(fd) != 0)
            {
                throw new IOException($"cannot flush the outbox directory {directory} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }
}
