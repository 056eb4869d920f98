using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text.Unicode;

namespace PasswordHashSync.Directory;

/// <summary>
/// The mapped attributes of the LDIF record being read, kept as bytes until the record ends, then turned into a
/// <see cref="DirectoryUser"/> with the char reader's rules, checks, order of checks and messages. The first value of
/// each mapped attribute (every value of <c>objectClass</c>) is decoded once: <c>unicodePwd</c> and
/// <c>supplementalCredentials</c> straight into the arrays the user keeps, the others into one scratch buffer reused by
/// every record; attributes that are not mapped are never decoded.
/// </summary>
internal sealed class LdifUserBuilder
{
    private const int MaxInternedClasses = 256;

    private readonly Slot[] _first = new Slot[LdifAttributeTable.MappedCount];
    private readonly List<Slot> _classes = [];
    private readonly Dictionary<string, string> _classNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _classLookup;
    private byte[] _scratch = new byte[1024];
    private int _scratchLength;
    private string _dn = string.Empty;
    private long _line;

    public LdifUserBuilder() => _classLookup = _classNames.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The DN of the record being read.</summary>
    public string DistinguishedName => _dn;

    /// <summary>Starts a record.</summary>
    public void Begin(string distinguishedName, long line)
    {
        _dn = distinguishedName;
        _line = line;
        _scratchLength = 0;
        _classes.Clear();
        Array.Clear(_first);
    }

    /// <summary>Keeps a value the user needs: <paramref name="value"/> is base64 text or the text's bytes, <paramref name="size"/> its decoded size.</summary>
    public void Add(int id, ReadOnlySpan<byte> value, bool isBase64, int size, long line)
    {
        if (id == LdifAttributeTable.ObjectClass)
        {
            _classes.Add(Keep(value, isBase64, size, line));
        }
        else if (id is > LdifAttributeTable.ObjectClass and < LdifAttributeTable.MappedCount && !_first[id].Present)
        {
            _first[id] = id is LdifAttributeTable.UnicodePwd or LdifAttributeTable.SupplementalCredentials
                ? new Slot(true, 0, size, isBase64, line, Decode(value, isBase64, new byte[size]))
                : Keep(value, isBase64, size, line);
        }
    }

    /// <summary>The user of the finished record (<c>LdifDirectoryReader.Map</c>'s checks, in its order).</summary>
    public DirectoryUser Build()
    {
        byte[]? sid = SidValue();
        long? pwdLastSet = Integer(LdifAttributeTable.PwdLastSet, "pwdLastSet", long.MinValue, long.MaxValue);
        byte[]? ntHash = Binary(LdifAttributeTable.UnicodePwd);
        if (ntHash is not null && ntHash.Length != NtHash.SizeInBytes)
        {
            throw new LdifFormatException(_first[LdifAttributeTable.UnicodePwd].Line,
                $"unicodePwd of '{_dn}' is {ntHash.Length} bytes; the export must hold the 16-byte NT hash as the DC stores it.");
        }

        string[] classes = _classes.Count == 0 ? [] : new string[_classes.Count];
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = ClassName(_classes[i]);
        }

        return new DirectoryUser
        {
            DistinguishedName = _dn,
            ObjectClasses = classes,
            SamAccountName = Text(LdifAttributeTable.SamAccountName, "sAMAccountName"),
            UserPrincipalName = Text(LdifAttributeTable.UserPrincipalName, "userPrincipalName"),
            ObjectSid = sid,
            Rid = sid is { Length: >= 12 } ? BinaryPrimitives.ReadUInt32LittleEndian(sid.AsSpan(sid.Length - 4)) : null,
            ObjectGuid = GuidValue(),
            UserAccountControl = (UserAccountControl)unchecked((int)(Integer(LdifAttributeTable.UserAccountControl, "userAccountControl", int.MinValue, uint.MaxValue) ?? 0)),
            PwdLastSet = pwdLastSet,
            AdminDescription = Text(LdifAttributeTable.AdminDescription, "adminDescription"),
            NtHash = ntHash,
            SupplementalCredentials = Binary(LdifAttributeTable.SupplementalCredentials),
            PasswordLastChanged = pwdLastSet is > 0 and < 2650467743999999999 ? new DateTimeOffset(DateTime.FromFileTimeUtc(pwdLastSet.Value)) : null,
        };
    }

    /// <summary>Decodes base64 (validated by the parser, <c>Base64.IsValid</c>) or copies text bytes into <paramref name="destination"/>.</summary>
    private static byte[] Decode(ReadOnlySpan<byte> value, bool isBase64, byte[] destination)
    {
        if (!isBase64)
        {
            value.CopyTo(destination);
        }
        else if (Base64.DecodeFromUtf8(value, destination, out _, out int written) != System.Buffers.OperationStatus.Done || written != destination.Length)
        {
            throw new InvalidOperationException("A base64 value validated by the LDIF parser did not decode to its validated size.");
        }

        return destination;
    }

    private Slot Keep(ReadOnlySpan<byte> value, bool isBase64, int size, long line)
    {
        if (_scratchLength + size > _scratch.Length)
        {
            // Bounded by the record's limit (LdifReaderOptions.MaxRecordSize), which every kept value counts against.
            Array.Resize(ref _scratch, (int)Math.Min(Array.MaxLength, Math.Max(_scratchLength + (long)size, 2L * _scratch.Length)));
        }

        int offset = _scratchLength;
        if (!isBase64)
        {
            value.CopyTo(_scratch.AsSpan(offset));
        }
        else if (Base64.DecodeFromUtf8(value, _scratch.AsSpan(offset, size), out _, out int written) != System.Buffers.OperationStatus.Done || written != size)
        {
            throw new InvalidOperationException("A base64 value validated by the LDIF parser did not decode to its validated size.");
        }

        _scratchLength += size;
        return new Slot(true, offset, size, isBase64, line, null);
    }

    private ReadOnlySpan<byte> Bytes(in Slot slot) => _scratch.AsSpan(slot.Offset, slot.Length);

    private string? Text(int id, string name) =>
        _first[id] is { Present: true } slot ? LdifText.StrictString(Bytes(slot), slot.Line, name) : null;

    private byte[]? Binary(int id) => _first[id] is { Present: true, Array: { Length: > 0 } array } ? array : null;

    /// <summary>An objectClass value; the few names every record repeats are one string each for the whole read.</summary>
    private string ClassName(in Slot slot)
    {
        ReadOnlySpan<byte> bytes = Bytes(slot);
        Span<char> chars = stackalloc char[LdifText.StackLimit];
        if (bytes.Length > LdifText.StackLimit
            || Utf8.ToUtf16(bytes, chars, out _, out int written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            return LdifText.StrictString(bytes, slot.Line, "objectClass");
        }

        if (_classLookup.TryGetValue(chars[..written], out string? known))
        {
            return known;
        }

        string name = new(chars[..written]);
        if (_classNames.Count < MaxInternedClasses)
        {
            _classNames.Add(name, name);
        }

        return name;
    }

    /// <summary>A value as chars for a parser that takes them (strict UTF-8, the char reader's message otherwise).</summary>
    private static ReadOnlySpan<char> Chars(ReadOnlySpan<byte> bytes, Span<char> stack, long line, string name)
    {
        if (bytes.Length <= stack.Length && Utf8.ToUtf16(bytes, stack, out _, out int written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done)
        {
            return stack[..written];
        }

        return LdifText.StrictString(bytes, line, name);
    }

    // LDAP Integer syntax (RFC 4517 3.3.16): an optional '-' and digits without leading zeros, nothing else, so a
    // value has one spelling. userAccountControl is 32 bits: LDAP shows it signed, some tools unsigned; both are read,
    // a wider value is refused rather than truncated.
    private long? Integer(int id, string name, long minimum, long maximum)
    {
        if (_first[id] is not { Present: true } slot)
        {
            return null;
        }

        Span<char> stack = stackalloc char[LdifText.StackLimit];
        return StrictDecimal.TryParseInt64(Chars(Bytes(slot), stack, slot.Line, name), allowNegative: true, out long result) && result >= minimum && result <= maximum
            ? result
            : throw new LdifFormatException(slot.Line, $"{name} of '{_dn}' is not an integer from {minimum} to {maximum} in canonical form (RFC 4517 Integer).");
    }

    private byte[]? SidValue()
    {
        if (_first[LdifAttributeTable.ObjectSid] is not { Present: true } slot)
        {
            return null;
        }

        ReadOnlySpan<byte> value = Bytes(slot);
        if (slot.IsBase64)
        {
            // Revision 1, sub-authority count, 6-byte authority, then 4 bytes per sub-authority.
            if (value.Length < 8 || value[0] != 1 || value.Length != 8 + (4 * value[1]))
            {
                throw new LdifFormatException(slot.Line, $"objectSid of '{_dn}' is not a binary SID.");
            }

            return value.ToArray();
        }

        Span<char> stack = stackalloc char[LdifText.StackLimit];
        return LdifSidText.Parse(Chars(value, stack, slot.Line, "objectSid"))
            ?? throw new LdifFormatException(slot.Line, $"objectSid of '{_dn}' is neither binary nor 'S-1-…' text.");
    }

    private Guid? GuidValue()
    {
        if (_first[LdifAttributeTable.ObjectGuid] is not { Present: true } slot)
        {
            return null;
        }

        ReadOnlySpan<byte> value = Bytes(slot);
        if (slot.IsBase64)
        {
            // AD stores objectGUID in the little-endian field order that Guid(bytes) expects.
            return value.Length == 16
                ? new Guid(value)
                : throw new LdifFormatException(slot.Line, $"objectGUID of '{_dn}' is {value.Length} bytes, not 16.");
        }

        Span<char> stack = stackalloc char[LdifText.StackLimit];
        return Guid.TryParse(Chars(value, stack, slot.Line, "objectGUID"), out Guid guid)
            ? guid
            : throw new LdifFormatException(slot.Line, $"objectGUID of '{_dn}' is not a GUID.");
    }

    /// <summary>Where a kept value is: in the scratch buffer (<see cref="Offset"/>, <see cref="Length"/>) or its own <see cref="Array"/>.</summary>
    private readonly record struct Slot(bool Present, int Offset, int Length, bool IsBase64, long Line, byte[]? Array);
}
