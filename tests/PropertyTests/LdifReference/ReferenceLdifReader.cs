using System.Buffers.Binary;
using System.Text;
using PasswordHashSync.Directory;

namespace PasswordHashSync.PropertyTests.LdifReference;

/// <summary>
/// The record-to-user mapping and the read loop of the char-based LDIF reader the library used before the byte-level
/// reader (a test-only reference copy of <c>LdifDirectoryReader.Map</c> and its iterators, unchanged), so property
/// tests can compare the two readers on the same input.
/// </summary>
internal static class ReferenceLdifReader
{
    /// <summary>Reads an LDIF text as the old reader did.</summary>
    public static IEnumerable<DirectoryUser> Read(TextReader reader, LdifReaderOptions? options = null) =>
        Iterate(new LdifLineReader(reader, (options ?? new LdifReaderOptions()).MaxLineLength), options ?? new LdifReaderOptions());

    /// <summary>Reads LDIF bytes as the old reader did (strict UTF-8, or UTF-16 after its byte order mark).</summary>
    public static IEnumerable<DirectoryUser> Read(Stream stream, LdifReaderOptions? options = null) =>
        Iterate(new LdifLineReader(stream, (options ?? new LdifReaderOptions()).MaxLineLength), options ?? new LdifReaderOptions());

    private static IEnumerable<DirectoryUser> Iterate(LdifLineReader lines, LdifReaderOptions limits)
    {
        var parser = new ReferenceLdifRecordParser(limits);
        while (lines.ReadLine())
        {
            if (parser.Accept(lines.Line) is { } record)
            {
                yield return Map(record);
            }
        }

        if (parser.Finish() is { } last)
        {
            yield return Map(last);
        }
    }

    internal static DirectoryUser Map(ReferenceLdifRecord record)
    {
        byte[]? sid = SidValue(record);
        long? pwdLastSet = Integer(record, "pwdLastSet", long.MinValue, long.MaxValue);
        byte[]? ntHash = Binary(record, "unicodePwd");
        if (ntHash is not null && ntHash.Length != NtHash.SizeInBytes)
        {
            throw new LdifFormatException(Line(record, "unicodePwd"),
                $"unicodePwd of '{record.DistinguishedName}' is {ntHash.Length} bytes; the export must hold the 16-byte NT hash as the DC stores it.");
        }

        return new DirectoryUser
        {
            DistinguishedName = record.DistinguishedName,
            ObjectClasses = Texts(record, "objectClass"),
            SamAccountName = Text(record, "sAMAccountName"),
            UserPrincipalName = Text(record, "userPrincipalName"),
            ObjectSid = sid,
            Rid = sid is { Length: >= 12 } ? BinaryPrimitives.ReadUInt32LittleEndian(sid.AsSpan(sid.Length - 4)) : null,
            ObjectGuid = GuidValue(record),
            UserAccountControl = (UserAccountControl)unchecked((int)(Integer(record, "userAccountControl", int.MinValue, uint.MaxValue) ?? 0)),
            PwdLastSet = pwdLastSet,
            AdminDescription = Text(record, "adminDescription"),
            NtHash = ntHash,
            SupplementalCredentials = Binary(record, "supplementalCredentials"),
            PasswordLastChanged = pwdLastSet is > 0 and < 2650467743999999999 ? new DateTimeOffset(DateTime.FromFileTimeUtc(pwdLastSet.Value)) : null,
        };
    }

    private static (byte[] Value, bool IsBase64, long Line)? First(ReferenceLdifRecord record, string name) =>
        record.Attributes.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static long Line(ReferenceLdifRecord record, string name) => First(record, name)?.Line ?? record.LineNumber;

    private static string? Text(ReferenceLdifRecord record, string name) => First(record, name) is { } v ? Utf8(v.Value, v.Line, name) : null;

    private static string[] Texts(ReferenceLdifRecord record, string name) =>
        record.Attributes.TryGetValue(name, out var values) ? values.Select(v => Utf8(v.Value, v.Line, name)).ToArray() : [];

    private static byte[]? Binary(ReferenceLdifRecord record, string name) => First(record, name)?.Value is { Length: > 0 } value ? value : null;

    // LDAP Integer syntax (RFC 4517 3.3.16): an optional '-' and digits without leading zeros, nothing else, so a
    // value has one spelling. userAccountControl is 32 bits: LDAP shows it signed, some tools unsigned; both are read,
    // a wider value is refused rather than truncated.
    private static long? Integer(ReferenceLdifRecord record, string name, long minimum, long maximum)
    {
        if (First(record, name) is not { } v)
        {
            return null;
        }

        string text = Utf8(v.Value, v.Line, name);
        return StrictDecimal.TryParseInt64(text, allowNegative: true, out long result) && result >= minimum && result <= maximum
            ? result
            : throw new LdifFormatException(v.Line, $"{name} of '{record.DistinguishedName}' is not an integer from {minimum} to {maximum} in canonical form (RFC 4517 Integer).");
    }

    private static byte[]? SidValue(ReferenceLdifRecord record)
    {
        if (First(record, "objectSid") is not { } v)
        {
            return null;
        }

        if (v.IsBase64)
        {
            // Revision 1, sub-authority count, 6-byte authority, then 4 bytes per sub-authority.
            if (v.Value.Length < 8 || v.Value[0] != 1 || v.Value.Length != 8 + (4 * v.Value[1]))
            {
                throw new LdifFormatException(v.Line, $"objectSid of '{record.DistinguishedName}' is not a binary SID.");
            }

            return v.Value;
        }

        return ParseSidText(Utf8(v.Value, v.Line, "objectSid"))
            ?? throw new LdifFormatException(v.Line, $"objectSid of '{record.DistinguishedName}' is neither binary nor 'S-1-…' text.");
    }

    private static byte[]? ParseSidText(string text)
    {
        string[] parts = text.Split('-');
        if (parts.Length < 3 || parts.Length > 18 || !parts[0].Equals("S", StringComparison.OrdinalIgnoreCase)
            || !StrictDecimal.TryParseUInt64(parts[1], byte.MaxValue, out ulong revision)
            || !StrictDecimal.TryParseUInt64(parts[2], (1UL << 48) - 1, out ulong authority))
        {
            return null;
        }

        int count = parts.Length - 3;
        byte[] sid = new byte[8 + (4 * count)];
        sid[0] = (byte)revision;
        sid[1] = (byte)count;
        for (int i = 0; i < 6; i++)
        {
            sid[2 + i] = (byte)(authority >> (8 * (5 - i)));
        }

        for (int i = 0; i < count; i++)
        {
            if (!StrictDecimal.TryParseUInt64(parts[3 + i], uint.MaxValue, out ulong sub))
            {
                return null;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(sid.AsSpan(8 + (4 * i)), (uint)sub);
        }

        return sid;
    }

    private static Guid? GuidValue(ReferenceLdifRecord record)
    {
        if (First(record, "objectGUID") is not { } v)
        {
            return null;
        }

        if (v.IsBase64)
        {
            // AD stores objectGUID in the little-endian field order that Guid(byte[]) expects.
            return v.Value.Length == 16
                ? new Guid(v.Value)
                : throw new LdifFormatException(v.Line, $"objectGUID of '{record.DistinguishedName}' is {v.Value.Length} bytes, not 16.");
        }

        return Guid.TryParse(Utf8(v.Value, v.Line, "objectGUID"), out Guid guid)
            ? guid
            : throw new LdifFormatException(v.Line, $"objectGUID of '{record.DistinguishedName}' is not a GUID.");
    }

    private static string Utf8(byte[] value, long line, string name)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(value);
        }
        catch (DecoderFallbackException ex)
        {
            throw new LdifFormatException($"LDIF line {line}: the value of '{name}' is not valid UTF-8.", ex);
        }
    }
}
