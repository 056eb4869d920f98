namespace PasswordHashSync.Directory;

/// <summary>
/// Attribute names of one LDIF read, matched from their UTF-8 bytes without a string per line: each name is looked up
/// as chars on the stack in a table that outlives the records (<see cref="StringComparison.OrdinalIgnoreCase"/>, the
/// comparer of the char reader's per-record dictionary), and each record counts its values per name id in an array it
/// clears at the end. The names the reader acts on have fixed ids.
/// </summary>
/// <remarks>
/// The table keeps at most <see cref="MaxInterned"/> names of at most <see cref="MaxInternedLength"/> chars, so a
/// hostile file with millions of distinct names costs no more than before: a name past either bound gets a string
/// per line and a per-record dictionary entry, as every name did in the char reader.
/// </remarks>
internal sealed class LdifAttributeTable
{
    public const int ObjectClass = 0;
    public const int SamAccountName = 1;
    public const int UserPrincipalName = 2;
    public const int ObjectSid = 3;
    public const int ObjectGuid = 4;
    public const int UserAccountControl = 5;
    public const int PwdLastSet = 6;
    public const int AdminDescription = 7;
    public const int UnicodePwd = 8;
    public const int SupplementalCredentials = 9;

    /// <summary>Ids below this are the attributes <see cref="LdifUserBuilder"/> maps.</summary>
    public const int MappedCount = 10;
    public const int Dn = 10;
    public const int Version = 11;
    public const int Ref = 12;
    public const int ChangeType = 13;
    public const int Control = 14;

    /// <summary>An id for a name kept out of the table (see the remarks).</summary>
    public const int Overflow = -1;

    private const int MaxInterned = 4096;
    private const int MaxInternedLength = 64;

    private static readonly string[] KnownNames =
    [
        "objectClass", "sAMAccountName", "userPrincipalName", "objectSid", "objectGUID", "userAccountControl", "pwdLastSet",
        "adminDescription", "unicodePwd", "supplementalCredentials", "dn", "version", "ref", "changetype", "control",
    ];

    private readonly Dictionary<string, int> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<int> _touched = [];
    private int[] _counts = new int[64];
    private Dictionary<string, int>? _overflow;

    public LdifAttributeTable()
    {
        foreach (string name in KnownNames)
        {
            _ids.Add(name, _ids.Count);
        }

        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The distinct names the current record has values for.</summary>
    public int DistinctCount => _touched.Count + (_overflow?.Count ?? 0);

    /// <summary>The id of <paramref name="name"/> (UTF-8, options stripped), or <see cref="Overflow"/> with the name as a string.</summary>
    public int Resolve(ReadOnlySpan<byte> name, out string? overflowName)
    {
        overflowName = null;
        if (name.Length <= LdifText.StackLimit)
        {
            Span<char> chars = stackalloc char[LdifText.StackLimit];
            return Resolve(chars[..LdifText.ToUtf16(name, chars)], out overflowName);
        }

        // Longer than any name the table keeps (one char per byte at least): a string, as the char reader made.
        overflowName = LdifText.ToString(name);
        return _ids.TryGetValue(overflowName, out int known) ? known : Overflow;
    }

    /// <summary>How many values the current record has for the name.</summary>
    public int ValueCount(int id, string? overflowName) =>
        id >= 0 ? _counts[id] : _overflow?.GetValueOrDefault(overflowName!) ?? 0;

    /// <summary>Counts one more value of the name in the current record.</summary>
    public void Count(int id, string? overflowName)
    {
        if (id >= 0)
        {
            if (_counts[id]++ == 0)
            {
                _touched.Add(id);
            }

            return;
        }

        _overflow ??= new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        _overflow[overflowName!] = _overflow.GetValueOrDefault(overflowName!) + 1;
    }

    /// <summary>Ends the current record.</summary>
    public void ClearCounts()
    {
        foreach (int id in _touched)
        {
            _counts[id] = 0;
        }

        _touched.Clear();
        _overflow?.Clear();
    }

    private int Resolve(ReadOnlySpan<char> name, out string? overflowName)
    {
        overflowName = null;
        if (_lookup.TryGetValue(name, out int id))
        {
            return id;
        }

        string text = name.ToString();
        if (_ids.Count >= MaxInterned || name.Length > MaxInternedLength)
        {
            overflowName = text;
            return Overflow;
        }

        id = _ids.Count;
        _ids.Add(text, id);
        if (id >= _counts.Length)
        {
            Array.Resize(ref _counts, _counts.Length * 2);
        }

        return id;
    }
}
