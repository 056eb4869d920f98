using System.Text;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>Hands out one line per Read and records how many responses the output held at that moment.</summary>
/// <remarks>A pipe as the batch's caller sees it: it shows whether each response was flushed before the next request was read.</remarks>
internal sealed class LineByLineStream(string[] lines, MemoryStream output) : Stream
{
    private int _next;

    public List<int> ResponsesSeenBeforeEachRead { get; } = [];

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ResponsesSeenBeforeEachRead.Add(output.ToArray().Count(b => b == (byte)'\n'));
        if (_next == lines.Length)
        {
            return 0;
        }
        byte[] line = Encoding.UTF8.GetBytes(lines[_next++]);
        line.CopyTo(buffer, offset);
        return line.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
