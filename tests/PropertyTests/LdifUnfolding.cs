using System.Text;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// The test side's own, deliberately naive RFC 2849 unfolding (a line starting with one space continues the previous
/// one), used by the LDIF reader properties to find which logical lines an input has, independently of the reader.
/// </summary>
internal static class LdifUnfolding
{
    /// <summary>The logical lines of <paramref name="ldif"/> (CRLF or LF line ends), in order.</summary>
    public static IEnumerable<string> Unfold(string ldif)
    {
        var current = new StringBuilder();
        bool any = false;
        foreach (string line in ldif.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith(' ') && any)
            {
                current.Append(line.AsSpan(1));
                continue;
            }

            if (any)
            {
                yield return current.ToString();
            }

            current.Clear().Append(line);
            any = true;
        }

        if (any)
        {
            yield return current.ToString();
        }
    }
}
