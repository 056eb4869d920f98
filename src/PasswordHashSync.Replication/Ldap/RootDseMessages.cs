using System.Formats.Asn1;
using System.Text;

namespace PasswordHashSync.Replication.Ldap;

/// <summary>
/// The two LDAP messages (RFC 4511) needed to read one attribute of the rootDSE anonymously: a base-object
/// SearchRequest for <c>""</c> with the filter <c>(objectClass=*)</c>, and the parse of the SearchResultEntry /
/// SearchResultDone replies. BER through <see cref="System.Formats.Asn1"/>.
/// </summary>
/// <remarks>
/// Written by hand rather than with an LDAP library: no maintained managed LDAP client is among the allowed
/// dependencies, and <c>System.DirectoryServices.Protocols</c> needs the native libldap (OpenLDAP) on Linux, which an
/// agent host may lack. The subset is tiny (one request, two reply types), so every byte is checked here: lengths
/// against what remains, only definite lengths (RFC 4511 5.1), tags exactly as expected, values bounded.
/// </remarks>
internal static class RootDseMessages
{
    /// <summary>[APPLICATION 3] SearchRequest.</summary>
    private static readonly Asn1Tag s_searchRequest = new(TagClass.Application, 3, isConstructed: true);

    /// <summary>[APPLICATION 4] SearchResultEntry.</summary>
    private static readonly Asn1Tag s_searchResultEntry = new(TagClass.Application, 4, isConstructed: true);

    /// <summary>[APPLICATION 5] SearchResultDone.</summary>
    private static readonly Asn1Tag s_searchResultDone = new(TagClass.Application, 5, isConstructed: true);

    /// <summary>[APPLICATION 19] SearchResultReference (skipped: a rootDSE search has none, but a server may send one).</summary>
    private static readonly Asn1Tag s_searchResultReference = new(TagClass.Application, 19, isConstructed: true);

    /// <summary>Filter CHOICE present [7] AttributeDescription.</summary>
    private static readonly Asn1Tag s_presentFilter = new(TagClass.ContextSpecific, 7);

    /// <summary>The longest attribute value kept (a DNS name is at most 253 characters).</summary>
    public const int MaxValueLength = 1024;

    /// <summary>What one reply message was.</summary>
    public enum ReplyKind
    {
        /// <summary>A SearchResultEntry (its value, when it had the attribute, is returned).</summary>
        Entry,

        /// <summary>A SearchResultReference, ignored.</summary>
        Reference,

        /// <summary>The SearchResultDone that ends the search.</summary>
        Done,
    }

    /// <summary>Encodes <c>LDAPMessage { messageID, searchRequest { "" base, scope base, (objectClass=*), [attribute] } }</c>.</summary>
    /// <param name="messageId">The message ID (1 to 2^31-1).</param>
    /// <param name="attribute">The one attribute asked for.</param>
    /// <param name="timeLimitSeconds">The server-side time limit.</param>
    /// <returns>The BER bytes.</returns>
    public static byte[] EncodeSearchRequest(int messageId, string attribute, int timeLimitSeconds)
    {
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(messageId);
            using (writer.PushSequence(s_searchRequest))
            {
                writer.WriteOctetString([]); // baseObject: the rootDSE
                writer.WriteEnumeratedValue(SearchScope.BaseObject);
                writer.WriteEnumeratedValue(DerefAliases.Never);
                writer.WriteInteger(1); // sizeLimit
                writer.WriteInteger(timeLimitSeconds);
                writer.WriteBoolean(false); // typesOnly
                writer.WriteOctetString(Encoding.ASCII.GetBytes("objectClass"), s_presentFilter);
                using (writer.PushSequence())
                {
                    writer.WriteOctetString(Encoding.ASCII.GetBytes(attribute));
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>
    /// The total length of the BER message starting with <paramref name="header"/> (tag 0x30 and a definite length), or
    /// 0 when more header bytes are needed.
    /// </summary>
    /// <param name="header">The first bytes received (2 to 6 are enough).</param>
    /// <param name="maxLength">The largest message accepted.</param>
    /// <returns>The message length including its header, or 0.</returns>
    /// <exception cref="InvalidDataException">Not an LDAPMessage SEQUENCE, an indefinite or oversized length.</exception>
    public static int GetMessageLength(ReadOnlySpan<byte> header, int maxLength)
    {
        if (header.Length < 2)
        {
            return 0;
        }

        if (header[0] != 0x30)
        {
            throw new InvalidDataException($"The LDAP server sent 0x{header[0]:X2} where an LDAPMessage SEQUENCE (0x30) starts.");
        }

        int first = header[1];
        if (first < 0x80)
        {
            return 2 + first;
        }

        int count = first & 0x7F;
        if (count == 0)
        {
            throw new InvalidDataException("The LDAP server sent an indefinite length, which RFC 4511 5.1 forbids.");
        }

        if (count > 4)
        {
            throw new InvalidDataException("The LDAP server sent a length of more than 4 bytes.");
        }

        if (header.Length < 2 + count)
        {
            return 0;
        }

        long length = 0;
        for (int i = 0; i < count; i++)
        {
            length = (length << 8) | header[2 + i];
        }

        long total = 2 + count + length;
        return total > maxLength
            ? throw new InvalidDataException($"The LDAP server announced a message of {total} bytes; at most {maxLength} are accepted.")
            : (int)total;
    }

    /// <summary>Parses one whole reply message of the search <paramref name="messageId"/>.</summary>
    /// <param name="message">The message bytes (exactly one LDAPMessage).</param>
    /// <param name="messageId">The search's message ID.</param>
    /// <param name="attribute">The attribute asked for.</param>
    /// <param name="value">For an entry with the attribute, its first value; otherwise <see langword="null"/>.</param>
    /// <returns>What the message was.</returns>
    /// <exception cref="InvalidDataException">The message is malformed, belongs to another request, or the search failed.</exception>
    public static ReplyKind ParseReply(ReadOnlySpan<byte> message, int messageId, string attribute, out string? value)
    {
        value = null;
        try
        {
            return ParseReplyCore(message.ToArray(), messageId, attribute, out value);
        }
        catch (AsnContentException e)
        {
            throw new InvalidDataException("The LDAP server's reply is not valid BER: " + e.Message, e);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("The LDAP server's " + attribute + " is not valid UTF-8.", e);
        }
    }

    private static ReplyKind ParseReplyCore(byte[] message, int messageId, string attribute, out string? value)
    {
        value = null;
        var outer = new AsnReader(message, AsnEncodingRules.BER);
        AsnReader ldapMessage = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        if (!ldapMessage.TryReadInt32(out int id))
        {
            throw new InvalidDataException("The LDAP reply's messageID is out of range.");
        }

        if (id != messageId)
        {
            // messageID 0 is an unsolicited notification (RFC 4511 4.4), typically "notice of disconnection".
            throw new InvalidDataException(id == 0
                ? "The LDAP server sent an unsolicited notification (it is closing the connection)."
                : $"The LDAP server answered message {id}, not the search ({messageId}).");
        }

        Asn1Tag tag = ldapMessage.PeekTag();
        if (tag.HasSameClassAndValue(s_searchResultReference))
        {
            ldapMessage.ReadEncodedValue();
            return ReplyKind.Reference;
        }

        if (tag.HasSameClassAndValue(s_searchResultDone))
        {
            AsnReader result = ldapMessage.ReadSequence(s_searchResultDone);
            ReadOnlySpan<byte> code = result.ReadEnumeratedBytes().Span;
            if (code.Length != 1 || code[0] != 0)
            {
                throw new InvalidDataException($"The LDAP server refused the anonymous rootDSE search (resultCode {(code.Length == 1 ? code[0] : -1)}).");
            }

            return ReplyKind.Done;
        }

        if (!tag.HasSameClassAndValue(s_searchResultEntry))
        {
            throw new InvalidDataException($"The LDAP server answered the search with an unexpected operation ({tag.TagClass} {tag.TagValue}).");
        }

        AsnReader entry = ldapMessage.ReadSequence(s_searchResultEntry);
        entry.ReadOctetString(); // objectName: "" for the rootDSE
        AsnReader attributes = entry.ReadSequence();
        entry.ThrowIfNotEmpty();
        while (attributes.HasData)
        {
            AsnReader partial = attributes.ReadSequence();
            string type = Encoding.UTF8.GetString(partial.ReadOctetString());
            AsnReader values = partial.ReadSetOf(skipSortOrderValidation: true);
            partial.ThrowIfNotEmpty();
            if (value is null && string.Equals(type, attribute, StringComparison.OrdinalIgnoreCase) && values.HasData)
            {
                byte[] bytes = values.ReadOctetString();
                if (bytes.Length > MaxValueLength)
                {
                    throw new InvalidDataException($"The LDAP server's {attribute} is longer than {MaxValueLength} bytes.");
                }

                value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
        }

        return ReplyKind.Entry;
    }

    private enum SearchScope
    {
        BaseObject = 0,
    }

    private enum DerefAliases
    {
        Never = 0,
    }
}
