using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace PasswordHashSync.Replication;

/// <summary>One up-to-dateness cursor: every change that DSA invocation made up to <see cref="HighestUsn"/> has been received (MS-DRSR 5.166 UPTODATE_CURSOR_V1).</summary>
/// <param name="InvocationId">The originating DSA's invocation ID.</param>
/// <param name="HighestUsn">The highest update sequence number of that invocation already received.</param>
public readonly record struct ReplicationCursor(Guid InvocationId, long HighestUsn);

/// <summary>
/// Where a replication stopped, so the next one asks only for what changed since (MS-DRSR 4.1.10.2.6:
/// <c>uuidInvocIdSrc</c>, <c>usnvecFrom</c>, <c>pUpToDateVecDest</c>, for one naming context). The sync state stores its
/// <see cref="ToString"/> form as the watermark; <see cref="Parse"/> reads it back.
/// </summary>
/// <remarks>
/// <para>Text form, version 1, ASCII: <c>drs1;nc=BASE64(UTF-8 DN);inv=GUID;usn=OBJ.RESERVED.PROP;utd=GUID:USN,GUID:USN</c>
/// (GUIDs in the 36-character "D" format, numbers in decimal, the cursor list possibly empty). A future layout gets a
/// new prefix; this one is never reinterpreted.</para>
/// <para>The cookie holds no secret: USNs, GUIDs and a DN.</para>
/// </remarks>
public sealed class ReplicationCookie : IEquatable<ReplicationCookie>
{
    /// <summary>The most cursors a cookie may carry (one per DC invocation that ever wrote to the naming context).</summary>
    public const int MaxCursors = 65_536;

    /// <summary>The longest text form <see cref="Parse"/> accepts.</summary>
    public const int MaxTextLength = 4 * 1024 * 1024;

    private const string Prefix = "drs1;";
    private readonly ReplicationCursor[] _cursors;

    /// <summary>Creates a cookie.</summary>
    /// <param name="namingContext">The naming context's DN, for example <c>DC=contoso,DC=com</c>.</param>
    /// <param name="invocationId">The source DC's invocation ID when the cookie was taken.</param>
    /// <param name="highObjectUpdate">usnvecTo.usnHighObjUpdate.</param>
    /// <param name="reservedUsn">usnvecTo.usnReserved (normally 0, kept as sent).</param>
    /// <param name="highPropertyUpdate">usnvecTo.usnHighPropUpdate.</param>
    /// <param name="cursors">The up-to-dateness cursors (may be empty).</param>
    /// <exception cref="ArgumentException">The naming context is empty, or a number or the cursor count is out of range.</exception>
    public ReplicationCookie(string namingContext, Guid invocationId, long highObjectUpdate, long reservedUsn, long highPropertyUpdate, IEnumerable<ReplicationCursor> cursors)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(namingContext);
        ArgumentNullException.ThrowIfNull(cursors);
        ArgumentOutOfRangeException.ThrowIfNegative(highObjectUpdate);
        ArgumentOutOfRangeException.ThrowIfNegative(reservedUsn);
        ArgumentOutOfRangeException.ThrowIfNegative(highPropertyUpdate);
        _cursors = cursors.Take(MaxCursors + 1).ToArray();
        if (_cursors.Length > MaxCursors)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A cookie holds at most {MaxCursors} cursors."), nameof(cursors));
        }

        if (_cursors.Any(c => c.HighestUsn < 0))
        {
            throw new ArgumentException("A cursor's USN is negative.", nameof(cursors));
        }

        NamingContext = namingContext;
        InvocationId = invocationId;
        HighObjectUpdate = highObjectUpdate;
        ReservedUsn = reservedUsn;
        HighPropertyUpdate = highPropertyUpdate;
    }

    /// <summary>The naming context the cookie belongs to.</summary>
    public string NamingContext { get; }

    /// <summary>The source DC's invocation ID; a different one on the DC means it was restored or replaced.</summary>
    public Guid InvocationId { get; }

    /// <summary>usnvecTo.usnHighObjUpdate: the highest object USN covered.</summary>
    public long HighObjectUpdate { get; }

    /// <summary>usnvecTo.usnReserved.</summary>
    public long ReservedUsn { get; }

    /// <summary>usnvecTo.usnHighPropUpdate.</summary>
    public long HighPropertyUpdate { get; }

    /// <summary>The up-to-dateness cursors.</summary>
    public IReadOnlyList<ReplicationCursor> Cursors => _cursors;

    /// <summary>Reads the text form written by <see cref="ToString"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The cookie.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a version 1 cookie.</exception>
    public static ReplicationCookie Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out ReplicationCookie? cookie, out string? error)
            ? cookie
            : throw new FormatException("The replication watermark is not a valid cookie: " + error + ".");
    }

    /// <summary>Reads the text form written by <see cref="ToString"/>, without throwing.</summary>
    /// <param name="text">The text, or <see langword="null"/>.</param>
    /// <param name="cookie">The cookie, when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is a version 1 cookie.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ReplicationCookie? cookie) =>
        TryParse(text, out cookie, out _);

    /// <summary>The stable text form (see the remarks of <see cref="ReplicationCookie"/>).</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(64 + NamingContext.Length * 2 + _cursors.Length * 58);
        text.Append(Prefix)
            .Append("nc=").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(NamingContext)))
            .Append(";inv=").Append(InvocationId.ToString("D"))
            .Append(CultureInfo.InvariantCulture, $";usn={HighObjectUpdate}.{ReservedUsn}.{HighPropertyUpdate}")
            .Append(";utd=");
        for (int i = 0; i < _cursors.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(_cursors[i].InvocationId.ToString("D"))
                .Append(CultureInfo.InvariantCulture, $":{_cursors[i].HighestUsn}");
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public bool Equals(ReplicationCookie? other) => other is not null
        && string.Equals(NamingContext, other.NamingContext, StringComparison.Ordinal)
        && InvocationId == other.InvocationId
        && HighObjectUpdate == other.HighObjectUpdate && ReservedUsn == other.ReservedUsn && HighPropertyUpdate == other.HighPropertyUpdate
        && _cursors.AsSpan().SequenceEqual(other._cursors);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ReplicationCookie);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(NamingContext, InvocationId, HighObjectUpdate, HighPropertyUpdate, _cursors.Length);

    private static bool TryParse(string? text, [NotNullWhen(true)] out ReplicationCookie? cookie, [NotNullWhen(false)] out string? error)
    {
        cookie = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = "it does not start with 'drs1;'";
            return false;
        }

        if (text.Length > MaxTextLength)
        {
            error = "it is longer than " + MaxTextLength.ToString(CultureInfo.InvariantCulture) + " characters";
            return false;
        }

        string[] fields = text[Prefix.Length..].Split(';');
        if (fields.Length != 4 || !fields[0].StartsWith("nc=", StringComparison.Ordinal) || !fields[1].StartsWith("inv=", StringComparison.Ordinal)
            || !fields[2].StartsWith("usn=", StringComparison.Ordinal) || !fields[3].StartsWith("utd=", StringComparison.Ordinal))
        {
            error = "it does not have the fields nc, inv, usn and utd in that order";
            return false;
        }

        string namingContext;
        try
        {
            namingContext = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(fields[0][3..]));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            error = "its naming context is not base64 of UTF-8";
            return false;
        }

        string[] usns = fields[2][4..].Split('.');
        if (namingContext.Trim().Length == 0
            || !Guid.TryParseExact(fields[1][4..], "D", out Guid invocationId)
            || usns.Length != 3
            || !TryParseUsn(usns[0], out long high) || !TryParseUsn(usns[1], out long reserved) || !TryParseUsn(usns[2], out long property))
        {
            error = "its naming context, invocation ID or USN vector is malformed";
            return false;
        }

        var cursors = new List<ReplicationCursor>();
        string list = fields[3][4..];
        if (list.Length > 0)
        {
            foreach (string item in list.Split(','))
            {
                int colon = item.IndexOf(':', StringComparison.Ordinal);
                if (cursors.Count == MaxCursors || colon < 0
                    || !Guid.TryParseExact(item.AsSpan(0, colon), "D", out Guid cursorId) || !TryParseUsn(item[(colon + 1)..], out long cursorUsn))
                {
                    error = "its up-to-dateness vector is malformed or too long";
                    return false;
                }

                cursors.Add(new ReplicationCursor(cursorId, cursorUsn));
            }
        }

        cookie = new ReplicationCookie(namingContext, invocationId, high, reserved, property, cursors);
        error = null;
        return true;
    }

    private static bool TryParseUsn(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
