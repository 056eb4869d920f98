using System.Text;
using FsCheck.Xunit;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// The fast paths of the full-sync reader against the paths they replace, on the sample's real records and blobs,
/// re-folded and re-encoded at random, and mutated: the identity scan (<see cref="LdifDirectoryReader.ReadIdentities(Stream, LdifReaderOptions?)"/>)
/// against the DN and objectGUID of the full reader's users, and the keys-only blob walk
/// (<see cref="SupplementalCredentialsKeyReader"/>) against <see cref="SupplementalCredentialsBlob.Parse"/> +
/// <see cref="SupplementalCredentialsBlob.GetCurrentKerberosKeys"/> (same keys, or the same exception and message).
/// </summary>
public class FastReaderProperties
{
    private static readonly Lazy<string> s_sampleLdif = new(() => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif")));

    private static readonly Lazy<byte[][]> s_realBlobs = new(() =>
        [.. LdifDirectoryReader.Read(new StringReader(s_sampleLdif.Value))
            .Where(u => !u.SupplementalCredentials.IsEmpty)
            .Select(u => u.SupplementalCredentials.ToArray())]);

    [Property(MaxTest = 300)]
    public void Identity_scan_gives_the_full_readers_DN_and_objectGUID_for_every_accepted_input(int seed)
    {
        var random = new Random(seed);
        string ldif = Reencode(s_sampleLdif.Value, random);
        if (random.Next(2) == 0)
        {
            ldif = MutateText(ldif, random);
        }

        byte[] bytes = Encoding.UTF8.GetBytes(ldif);
        List<DirectoryUser> users;
        try
        {
            users = LdifDirectoryReader.Read(new MemoryStream(bytes)).ToList();
        }
        catch (LdifFormatException)
        {
            // The scanner validates less: it may accept the input or refuse it, but only with the LDIF exception.
            try
            {
                _ = LdifDirectoryReader.ReadIdentities(new MemoryStream(bytes)).ToList();
            }
            catch (LdifFormatException)
            {
            }

            return;
        }

        List<LdifObjectIdentity> identities = LdifDirectoryReader.ReadIdentities(new MemoryStream(bytes)).ToList();
        Assert.Equal(users.Select(u => (u.DistinguishedName, u.ObjectGuid)), identities.Select(i => (i.DistinguishedName, i.ObjectGuid)));
    }

    [Property(MaxTest = 1500)]
    public void Keys_only_walk_equals_the_full_parser_on_mutated_real_blobs(int seed)
    {
        var random = new Random(seed);
        byte[][] blobs = s_realBlobs.Value;
        Assert.True(blobs.Length >= 10);
        byte[] original = blobs[random.Next(blobs.Length)];

        // The unmutated blobs take the fast walk (else the comparison below would compare the full parser with itself).
        Assert.True(SupplementalCredentialsKeyReader.TryExtract(original, out IReadOnlyList<KerberosKey>? fast));
        Assert.Equal(Describe(FullParser(original)), Describe(fast));

        byte[] blob = Mutate(original, random);
        (string? Error, string[]? Keys) expected;
        try
        {
            expected = (null, Describe(FullParser(blob)));
        }
        catch (SupplementalCredentialsFormatException e)
        {
            expected = (e.Message, null);
        }

        (string? Error, string[]? Keys) actual;
        try
        {
            actual = (null, Describe(SupplementalCredentialsKeyReader.ExtractCurrentKeys(blob)));
        }
        catch (SupplementalCredentialsFormatException e)
        {
            actual = (e.Message, null);
        }

        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.Keys, actual.Keys);
        if (SupplementalCredentialsKeyReader.TryExtract(blob, out IReadOnlyList<KerberosKey>? walked))
        {
            // Whatever the walk accepts, the full parser accepts with the same keys.
            Assert.Equal(expected.Keys, Describe(walked));
        }
    }

    // The walk answers Primary:Kerberos from its hex (KerberosStoredHexCheck) and parses it only when it would add a
    // key: edits aimed at that property's value alone (hex digits changed in place, so the blob around stays whole and
    // the structure check is what decides) must still give the full parser's keys or its exact error.
    [Property(MaxTest = 1500)]
    public void Keys_only_walk_equals_the_full_parser_when_Primary_Kerberos_alone_is_edited(int seed)
    {
        var random = new Random(seed);
        byte[][] blobs = s_realBlobs.Value;
        byte[] blob = (byte[])blobs[random.Next(blobs.Length)].Clone();
        (int start, int length) = PrimaryKerberosValue(blob);
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            // Mostly the header and entry fields (the first 16 + 20 * n bytes, 2 hex digits each), sometimes anywhere.
            int at = start + (random.Next(3) == 0 ? random.Next(length) : random.Next(Math.Min(length, 2 * (16 + (20 * 6)))));
            blob[at] = (byte)"0123456789ABCDEF"[random.Next(16)];
        }

        (string? Error, string[]? Keys) expected;
        try
        {
            expected = (null, Describe(FullParser(blob)));
        }
        catch (SupplementalCredentialsFormatException e)
        {
            expected = (e.Message, null);
        }

        (string? Error, string[]? Keys) actual;
        try
        {
            actual = (null, Describe(SupplementalCredentialsKeyReader.ExtractCurrentKeys(blob)));
        }
        catch (SupplementalCredentialsFormatException e)
        {
            actual = (e.Message, null);
        }

        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.Keys, actual.Keys);
    }

    // Where the hex value of the Primary:Kerberos property lies (USER_PROPERTY, MS-SAMR 2.2.10.2: NameLength,
    // ValueLength, Reserved, the UTF-16LE name, then the value); Primary:Kerberos-Newer-Keys is a different name.
    private static (int Start, int Length) PrimaryKerberosValue(byte[] blob)
    {
        byte[] name = Encoding.Unicode.GetBytes("Primary:Kerberos");
        for (int at = blob.AsSpan().IndexOf(name); at >= 6; at = NextFrom(at + 2))
        {
            if (BitConverter.ToUInt16(blob, at - 6) == name.Length)
            {
                return (at + name.Length, BitConverter.ToUInt16(blob, at - 4));
            }
        }

        throw new InvalidOperationException("The Samba blob has no Primary:Kerberos property.");

        int NextFrom(int from)
        {
            int next = blob.AsSpan(from).IndexOf(name);
            return next < 0 ? -1 : from + next;
        }
    }

    private static IReadOnlyList<KerberosKey> FullParser(byte[] blob)
    {
        using SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
        return parsed.GetCurrentKerberosKeys();
    }

    private static string[] Describe(IReadOnlyList<KerberosKey> keys) =>
        [.. keys.Select(k => $"{(int)k.EncryptionType}:{Convert.ToHexString(k.Key.Span)}:{Convert.ToHexString(k.Salt.Span)}:{k.IterationCount}")];

    /// <summary>The same records written another way: DN and objectGUID as text or base64, lines folded at random widths.</summary>
    private static string Reencode(string ldif, Random random)
    {
        var output = new StringBuilder();
        foreach (string logical in LdifUnfolding.Unfold(ldif))
        {
            string line = logical;
            if (line.StartsWith("dn: ", StringComparison.Ordinal) && random.Next(3) == 0)
            {
                line = "dn:: " + Convert.ToBase64String(Encoding.UTF8.GetBytes(line[4..]));
            }
            else if (line.StartsWith("objectGUID: ", StringComparison.Ordinal) && random.Next(2) == 0)
            {
                line = (random.Next(2) == 0 ? "objectGUID:: " : "OBJECTGUID;binary:: ") + Convert.ToBase64String(Guid.Parse(line[12..]).ToByteArray());
            }
            else if (line.Length == 0 && random.Next(8) == 0)
            {
                line = "\n# a comment\n continued with dn: CN=not,DC=a,DC=record\n";
            }

            int width = random.Next(2, 120);
            output.Append(line.Length > width && random.Next(2) == 0 ? line[..width] + "\n " + line[width..] : line).Append('\n');
        }

        return (random.Next(4) == 0 ? "version: 1\n\nref: ldap://elsewhere/DC=x\n\n" : string.Empty) + output;
    }

    private static string MutateText(string text, Random random)
    {
        var chars = new StringBuilder(text);
        for (int edits = random.Next(1, 6); edits > 0; edits--)
        {
            int at = random.Next(chars.Length);
            char c = "\n :-<#=\0aZ9+/"[random.Next(13)];
            switch (random.Next(3))
            {
                case 0: chars.Remove(at, 1); break;
                case 1: chars.Insert(at, c); break;
                default: chars[at] = c; break;
            }
        }

        return chars.ToString();
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                case 2: bytes.RemoveAt(at); break;
                default: bytes[at] = (byte)"0123456789ABCDEFabcdefG \0"[random.Next(25)]; break;
            }
        }

        return [.. bytes];
    }
}
