using System.Runtime.CompilerServices;

namespace PasswordHashSync.Directory;

/// <summary>
/// Streams the objects of an LDIF export (RFC 2849) as <see cref="DirectoryUser"/> values: one record is read,
/// mapped and handed out before the next is read, so memory stays flat whatever the size of the export.
/// </summary>
/// <remarks>
/// <para>Accepted: content records (what <c>ldifde</c>, <c>ldapsearch</c> and Samba's <c>ldbsearch</c> write), folded
/// lines, base64 values (<c>::</c>), comments, <c>version: 1</c>, attribute options (<c>;binary</c>), and search
/// referral records (skipped), and <c>changetype: add</c> right after the DN (how <c>ldifde</c> writes every exported
/// entry). Rejected with <see cref="LdifFormatException"/>: other change records (modify, delete, modrdn, <c>-</c>,
/// <c>control:</c>), URL values (<c>:&lt;</c>), malformed lines and base64, and mapped attributes with impossible values.</para>
/// <para>Mapped attributes: <c>dn</c>, <c>objectClass</c>, <c>sAMAccountName</c>, <c>userPrincipalName</c>,
/// <c>objectSid</c> (binary or <c>S-1-…</c> text; gives the RID), <c>objectGUID</c> (binary or text),
/// <c>userAccountControl</c>, <c>pwdLastSet</c> (also gives <see cref="DirectoryUser.PasswordLastChanged"/> when not 0),
/// <c>adminDescription</c>, <c>unicodePwd</c> (the 16-byte NT hash as stored by the DC) and
/// <c>supplementalCredentials</c>. Other attributes are ignored. Every record becomes a
/// <see cref="DirectoryUser"/>, whatever its class; filter on <see cref="DirectoryUser.ObjectClasses"/>.</para>
/// </remarks>
public static class LdifDirectoryReader
{
    /// <summary>Reads the objects of an LDIF export from a text reader.</summary>
    /// <param name="reader">The LDIF text; not disposed.</param>
    /// <param name="options">The size limits, or <see langword="null"/> for the defaults.</param>
    /// <returns>The objects, lazily, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration at the first malformed record or exceeded limit.</exception>
    public static IEnumerable<DirectoryUser> Read(TextReader reader, LdifReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        LdifReaderOptions limits = (options ?? LdifReaderOptions.Default).Snapshot();
        return ReadIterator(new LdifByteLineReader(reader, limits.MaxLineLength), limits);
    }

    /// <summary>Reads the objects of an LDIF export from a stream of UTF-8 (or, with a byte order mark, UTF-16) bytes.</summary>
    /// <param name="stream">
    /// The LDIF bytes; not disposed. UTF-8, with or without a byte order mark; a UTF-16 byte order mark (LE or BE,
    /// as <c>ldifde -u</c> writes) selects strict UTF-16. A UTF-32 byte order mark, and bytes that do not decode
    /// (invalid UTF-8, a lone UTF-16 surrogate), give <see cref="LdifFormatException"/>: no value is ever replaced by U+FFFD.
    /// </param>
    /// <param name="options">The size limits, or <see langword="null"/> for the defaults.</param>
    /// <returns>The objects, lazily, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration at the first malformed record or exceeded limit.</exception>
    public static IEnumerable<DirectoryUser> Read(Stream stream, LdifReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        LdifReaderOptions limits = (options ?? LdifReaderOptions.Default).Snapshot();
        return ReadIterator(new LdifByteLineReader(stream, limits.MaxLineLength), limits);
    }

    /// <summary>Reads the objects of an LDIF file (decoded as <see cref="Read(Stream, LdifReaderOptions?)"/> does).</summary>
    /// <param name="path">The file path; the file is opened when enumeration starts and closed when it ends.</param>
    /// <param name="options">The size limits, or <see langword="null"/> for the defaults.</param>
    /// <returns>The objects, lazily, in file order.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration at the first malformed record or exceeded limit.</exception>
    public static IEnumerable<DirectoryUser> ReadFile(string path, LdifReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadFileIterator(path, (options ?? LdifReaderOptions.Default).Snapshot());
    }

    /// <summary>Reads the objects of an LDIF export asynchronously.</summary>
    /// <param name="reader">The LDIF text; not disposed.</param>
    /// <param name="options">The size limits, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The objects, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration at the first malformed record or exceeded limit.</exception>
    public static IAsyncEnumerable<DirectoryUser> ReadAsync(TextReader reader, LdifReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        LdifReaderOptions limits = (options ?? LdifReaderOptions.Default).Snapshot();
        return ReadAsyncIterator(new LdifByteLineReader(reader, limits.MaxLineLength), limits, cancellationToken);
    }

    /// <summary>Reads the objects of an LDIF file asynchronously (decoded as <see cref="Read(Stream, LdifReaderOptions?)"/> does).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">The size limits, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The objects, in file order.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration at the first malformed record or exceeded limit.</exception>
    public static IAsyncEnumerable<DirectoryUser> ReadFileAsync(string path, LdifReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadFileAsyncIterator(path, (options ?? LdifReaderOptions.Default).Snapshot(), cancellationToken);
    }

    /// <summary>Reads the objects of an LDIF text asynchronously with the default limits.</summary>
    /// <param name="reader">The LDIF text.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The objects, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration at the first malformed record or exceeded limit.</exception>
    public static IAsyncEnumerable<DirectoryUser> ReadAsync(TextReader reader, CancellationToken cancellationToken) =>
        ReadAsync(reader, options: null, cancellationToken);

    /// <summary>Reads the objects of an LDIF file asynchronously with the default limits.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The objects, in file order.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration at the first malformed record or exceeded limit.</exception>
    public static IAsyncEnumerable<DirectoryUser> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        ReadFileAsync(path, options: null, cancellationToken);

    /// <summary>
    /// Reads only the identity (DN and objectGUID) of every object of an LDIF export, in file order, without decoding
    /// any other value: a fast first pass over a file that is read in full afterwards (for example to find users
    /// listed more than once). Decoded as <see cref="Read(Stream, LdifReaderOptions?)"/> does.
    /// </summary>
    /// <remarks>
    /// For an input that <see cref="Read(Stream, LdifReaderOptions?)"/> accepts, the identities are the DN and
    /// <see cref="DirectoryUser.ObjectGuid"/> of its objects. The input is not validated beyond the lines read: a
    /// malformed record may scan without an error; read it with <see cref="Read(Stream, LdifReaderOptions?)"/> to validate.
    /// </remarks>
    /// <param name="stream">The LDIF bytes; not disposed.</param>
    /// <param name="options">The size limits, or <see langword="null"/> for the defaults.</param>
    /// <returns>The identities, lazily, in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration for bytes that do not decode or an exceeded line or DN limit.</exception>
    public static IEnumerable<LdifObjectIdentity> ReadIdentities(Stream stream, LdifReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        LdifReaderOptions limits = (options ?? LdifReaderOptions.Default).Snapshot();
        return IdentityIterator(new LdifByteLineReader(stream, limits.MaxLineLength), limits);
    }

    /// <summary>Reads only the identity of every object of an LDIF file (see <see cref="ReadIdentities(Stream, LdifReaderOptions?)"/>).</summary>
    /// <param name="path">The file path; the file is opened when enumeration starts and closed when it ends.</param>
    /// <param name="options">The size limits, or <see langword="null"/> for the defaults.</param>
    /// <returns>The identities, lazily, in file order.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="LdifFormatException">Thrown during enumeration for bytes that do not decode or an exceeded line or DN limit.</exception>
    public static IEnumerable<LdifObjectIdentity> ReadIdentitiesFromFile(string path, LdifReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return IdentityFileIterator(path, (options ?? LdifReaderOptions.Default).Snapshot());
    }

    private static IEnumerable<LdifObjectIdentity> IdentityFileIterator(string path, LdifReaderOptions limits)
    {
        using var stream = new FileStream(path, new FileStreamOptions { BufferSize = 0 });
        foreach (LdifObjectIdentity identity in IdentityIterator(new LdifByteLineReader(stream, limits.MaxLineLength), limits))
        {
            yield return identity;
        }
    }

    private static IEnumerable<LdifObjectIdentity> IdentityIterator(LdifByteLineReader lines, LdifReaderOptions limits)
    {
        var scanner = new LdifIdentityScanner(limits);
        while (lines.ReadLine())
        {
            if (scanner.Accept(lines.Line, lines.LineUtf16Length) is { } identity)
            {
                yield return identity;
            }
        }

        if (scanner.Finish() is { } last)
        {
            yield return last;
        }
    }

    private static IEnumerable<DirectoryUser> ReadFileIterator(string path, LdifReaderOptions limits)
    {
        using var stream = new FileStream(path, new FileStreamOptions { BufferSize = 0 });
        foreach (DirectoryUser user in ReadIterator(new LdifByteLineReader(stream, limits.MaxLineLength), limits))
        {
            yield return user;
        }
    }

    private static IEnumerable<DirectoryUser> ReadIterator(LdifByteLineReader lines, LdifReaderOptions limits)
    {
        var parser = new LdifRecordParser(limits);
        while (lines.ReadLine())
        {
            if (parser.Accept(lines.Line, lines.LineUtf16Length) is { } user)
            {
                yield return user;
            }
        }

        if (parser.Finish() is { } last)
        {
            yield return last;
        }
    }

    private static async IAsyncEnumerable<DirectoryUser> ReadAsyncIterator(LdifByteLineReader lines, LdifReaderOptions limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = new LdifRecordParser(limits);
        while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false))
        {
            if (parser.Accept(lines.Line, lines.LineUtf16Length) is { } user)
            {
                yield return user;
            }
        }

        if (parser.Finish() is { } last)
        {
            yield return last;
        }
    }

    private static async IAsyncEnumerable<DirectoryUser> ReadFileAsyncIterator(string path, LdifReaderOptions limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, new FileStreamOptions { BufferSize = 0, Options = FileOptions.Asynchronous });
        await using (stream.ConfigureAwait(false))
        {
            await foreach (DirectoryUser user in ReadAsyncIterator(new LdifByteLineReader(stream, limits.MaxLineLength), limits, cancellationToken).ConfigureAwait(false))
            {
                yield return user;
            }
        }
    }
}
