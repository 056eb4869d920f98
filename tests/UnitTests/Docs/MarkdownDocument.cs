using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Docs;

/// <summary>A fenced code block: its info string (language and attributes), its text and where it starts.</summary>
/// <param name="Language">The first word of the info string (<c>csharp</c>, <c>console</c>, <c>json</c>), or empty.</param>
/// <param name="Attributes">The <c>key=value</c> words after the language, for example <c>file=managed.json</c>.</param>
/// <param name="Text">The lines between the fences, each ending in <c>\n</c>.</param>
/// <param name="OpeningLine">The 0-based line of the opening fence.</param>
/// <param name="ClosingLine">The 0-based line of the closing fence.</param>
internal sealed record FencedBlock(string Language, IReadOnlyDictionary<string, string> Attributes, string Text, int OpeningLine, int ClosingLine)
{
    /// <summary>The 1-based line number of the opening fence, as an editor shows it.</summary>
    public int LineNumber => OpeningLine + 1;
}

/// <summary>A relative or absolute link target written as <c>[text](target)</c> outside code.</summary>
/// <param name="Target">The target as written (path, optional <c>#anchor</c>).</param>
/// <param name="LineNumber">The 1-based line it is on.</param>
internal sealed record MarkdownLink(string Target, int LineNumber);

/// <summary>
/// The parts of a Markdown file the documentation tests check: fenced blocks, links and heading anchors, read the
/// way GitHub renders them (CommonMark fences, GitHub's heading slugs).
/// </summary>
internal sealed partial class MarkdownDocument
{
    private MarkdownDocument(string relativePath, string[] lines)
    {
        RelativePath = relativePath;
        Lines = lines;
        (Blocks, Links, Anchors) = Parse(lines);
    }

    /// <summary>The path from the repository root, with forward slashes.</summary>
    public string RelativePath { get; }

    /// <summary>The file's lines, without line ends.</summary>
    public string[] Lines { get; }

    /// <summary>Every fenced code block, in order.</summary>
    public IReadOnlyList<FencedBlock> Blocks { get; }

    /// <summary>Every link outside code, in order.</summary>
    public IReadOnlyList<MarkdownLink> Links { get; }

    /// <summary>The anchors GitHub gives the headings (<c>## Quick start</c> is <c>quick-start</c>).</summary>
    public IReadOnlySet<string> Anchors { get; }

    /// <summary>The full path of the file.</summary>
    public string FullPath => Path.Combine(RepositoryPaths.Root, RelativePath);

    /// <summary>Reads a file of the repository.</summary>
    public static MarkdownDocument Load(string relativePath) =>
        new(relativePath, File.ReadAllText(Path.Combine(RepositoryPaths.Root, relativePath)).ReplaceLineEndings("\n").Split('\n'));

    /// <summary>GitHub's anchor for a heading text: lower case, punctuation dropped, spaces to hyphens.</summary>
    public static string Slug(string heading)
    {
        var slug = new StringBuilder(heading.Length);
        foreach (char c in heading.Trim().ToLowerInvariant())
        {
            if (c == ' ')
            {
                slug.Append('-');
            }
            else if (c is '-' or '_' || char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                slug.Append(c);
            }
        }

        return slug.ToString();
    }

    private static (List<FencedBlock> Blocks, List<MarkdownLink> Links, HashSet<string> Anchors) Parse(string[] lines)
    {
        var blocks = new List<FencedBlock>();
        var links = new List<MarkdownLink>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var slugCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            Match fence = FenceOpening().Match(lines[i]);
            if (fence.Success)
            {
                string marker = fence.Groups["fence"].Value;
                int close = i + 1;
                while (close < lines.Length && !(lines[close].TrimStart().StartsWith(marker, StringComparison.Ordinal) && lines[close].Trim().Trim(marker[0]).Length == 0))
                {
                    close++;
                }

                if (close == lines.Length)
                {
                    throw new InvalidOperationException($"line {i + 1}: the code fence is never closed");
                }

                // An indented fence (inside a list item) keeps its indentation out of the text.
                int indent = lines[i].Length - lines[i].TrimStart().Length;
                var text = new StringBuilder();
                for (int j = i + 1; j < close; j++)
                {
                    string line = lines[j];
                    text.Append(line.Length >= indent && line[..indent].Trim().Length == 0 ? line[indent..] : line.TrimStart()).Append('\n');
                }

                string[] info = fence.Groups["info"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var attributes = info.Skip(1)
                    .Select(word => word.Split('=', 2))
                    .Where(pair => pair.Length == 2)
                    .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
                blocks.Add(new FencedBlock(info.Length > 0 ? info[0] : "", attributes, text.ToString(), i, close));
                i = close;
                continue;
            }

            Match heading = Heading().Match(lines[i]);
            if (heading.Success)
            {
                string slug = Slug(heading.Groups["text"].Value);
                int seen = slugCounts.GetValueOrDefault(slug);
                slugCounts[slug] = seen + 1;
                anchors.Add(seen == 0 ? slug : $"{slug}-{seen}");
            }

            string withoutCode = InlineCode().Replace(lines[i], "");
            foreach (Match link in InlineLink().Matches(withoutCode))
            {
                links.Add(new MarkdownLink(link.Groups["target"].Value, i + 1));
            }
        }

        return (blocks, links, anchors);
    }

    [GeneratedRegex(@"^\s{0,12}(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex FenceOpening();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();
}
