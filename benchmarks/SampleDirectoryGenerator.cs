using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PasswordHashSync.Directory;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// Writes a synthetic directory in the format of the bundled sample (samples/directory.ldif, a Samba export): user
/// <c>i</c> copies the shape of sample record <c>i mod 12</c> (its object classes, userAccountControl, pwdLastSet,
/// adminDescription and, unless left out, its supplementalCredentials blob, so the mix of decisions and the parsing
/// cost are the sample's), with its own DN, sAMAccountName, UPN, objectGUID, objectSid and a random NT hash.
/// </summary>
/// <remarks>
/// Deterministic for a seed. With a repeat rate, some users appear a second time further on with a newer password
/// (pwdLastSet later, another NT hash), as in an export that lists changes: the collapse (newest change wins) is exercised.
/// Also compiled into the unit tests (a generated directory must give the same records on every path).
/// </remarks>
internal static class SampleDirectoryGenerator
{
    /// <summary>Writes <paramref name="users"/> users (plus their repeats) to <paramref name="output"/>.</summary>
    /// <param name="output">Where the LDIF goes.</param>
    /// <param name="templates">The sample's records (read from samples/directory.ldif).</param>
    /// <param name="users">Distinct users.</param>
    /// <param name="withSupplementalCredentials">Whether users keep their template's supplementalCredentials.</param>
    /// <param name="repeatEvery">Every this many users, one earlier user appears again with a newer password; 0 for none.</param>
    /// <param name="seed">The seed of the NT hashes, GUIDs and repeats.</param>
    public static void Write(TextWriter output, IReadOnlyList<DirectoryUser> templates, int users, bool withSupplementalCredentials, int repeatEvery, int seed)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(templates);
        var random = new Random(seed);
        var line = new StringBuilder(4096);
        byte[] ntHash = new byte[16];
        for (int i = 0; i < users; i++)
        {
            random.NextBytes(ntHash);
            WriteUser(output, line, templates, i, ntHash, withSupplementalCredentials, seed, newer: 0);
            if (repeatEvery > 0 && i > 0 && i % repeatEvery == 0)
            {
                // An earlier user again, with a later password: the newest change must win at the first position.
                int earlier = random.Next(0, i);
                random.NextBytes(ntHash);
                WriteUser(output, line, templates, earlier, ntHash, withSupplementalCredentials, seed, newer: 1 + random.Next(0, 3));
            }
        }
    }

    /// <summary>Reads the sample's records from a file.</summary>
    /// <param name="samplePath">samples/directory.ldif.</param>
    /// <returns>The templates.</returns>
    public static IReadOnlyList<DirectoryUser> ReadTemplates(string samplePath) => [.. LdifDirectoryReader.ReadFile(samplePath)];

    private static void WriteUser(TextWriter output, StringBuilder text, IReadOnlyList<DirectoryUser> templates, int index, byte[] ntHash, bool withBlob, int seed, int newer)
    {
        DirectoryUser template = templates[index % templates.Count];
        string suffix = index.ToString(CultureInfo.InvariantCulture);
        string cn = (template.SamAccountName ?? Cn(template.DistinguishedName)).TrimEnd('$') + "-" + suffix;
        string container = template.DistinguishedName[(template.DistinguishedName.IndexOf(',', StringComparison.Ordinal) + 1)..];
        text.Clear();
        text.Append("# record ").Append(suffix).Append('\n');
        text.Append("dn: CN=").Append(cn).Append(',').Append(container).Append('\n');
        foreach (string objectClass in template.ObjectClasses)
        {
            text.Append("objectClass: ").Append(objectClass).Append('\n');
        }

        text.Append("cn: ").Append(cn).Append('\n');
        if (template.ObjectGuid is not null)
        {
            text.Append("objectGUID: ").Append(GuidOf(seed, index).ToString()).Append('\n');
        }

        if (!template.ObjectSid.IsEmpty)
        {
            text.Append("objectSid: S-1-5-21-2748679999-93692187-3842522651-").Append((1000 + index).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (template.SamAccountName is string sam)
        {
            text.Append("sAMAccountName: ").Append(sam.EndsWith('$') ? cn + "$" : cn).Append('\n');
        }

        if (template.UserPrincipalName is string upn)
        {
            text.Append("userPrincipalName: ").Append(cn).Append(upn[upn.IndexOf('@', StringComparison.Ordinal)..]).Append('\n');
        }

        if (!template.NtHash.IsEmpty)
        {
            text.Append("unicodePwd:: ").Append(Convert.ToBase64String(ntHash)).Append('\n');
        }

        if (withBlob && !template.SupplementalCredentials.IsEmpty)
        {
            AppendFolded(text, "supplementalCredentials:: ", Convert.ToBase64String(template.SupplementalCredentials.Span));
        }

        if (template.AdminDescription is string description)
        {
            text.Append("adminDescription: ").Append(description).Append('\n');
        }

        if (template.PwdLastSet is long pwdLastSet)
        {
            long value = pwdLastSet > 0 ? pwdLastSet + index + (newer * 10_000_000L) : pwdLastSet;
            text.Append("pwdLastSet: ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (template.ObjectClasses.Contains("user"))
        {
            text.Append("userAccountControl: ").Append(((int)template.UserAccountControl).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append('\n');
        output.Write(text);
    }

    // LDIF folding as the sample has it: 76 characters on the first line, then one space and 76 more per line.
    private static void AppendFolded(StringBuilder text, string attribute, string value)
    {
        int first = Math.Min(value.Length, 76 - attribute.Length);
        text.Append(attribute).Append(value, 0, first).Append('\n');
        for (int at = first; at < value.Length; at += 76)
        {
            text.Append(' ').Append(value, at, Math.Min(76, value.Length - at)).Append('\n');
        }
    }

    private static string Cn(string dn) => dn[3..dn.IndexOf(',', StringComparison.Ordinal)];

    private static Guid GuidOf(int seed, int index)
    {
        // SplitMix64 of (seed, index): the same user gets the same GUID when it appears again.
        Span<byte> bytes = stackalloc byte[16];
        ulong state = ((ulong)(uint)seed << 32) | (uint)index;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Mix(ref state));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], Mix(ref state));
        return new Guid(bytes);
    }

    private static ulong Mix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
