using System.Text.Json;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Vectors;

/// <summary>
/// Loads tests/Vectors/public-vectors.json at run time (never retyped) and sorts every entry into the
/// category that says which library call it checks, or into an explicit, reasoned exclusion.
/// </summary>
public static class PublicVectorFile
{
    /// <summary>The file held 150 entries when these tests were written; fewer means the file was truncated or not found.</summary>
    public const int MinimumEntryCount = 150;

    private static readonly Lazy<IReadOnlyList<PublicVector>> s_all = new(Load);

    public static IReadOnlyList<PublicVector> All => s_all.Value;

    public static PublicVector Get(int index) => All[index];

    /// <summary>
    /// Why an entry is not run, or <see langword="null"/> when it is. Every exclusion is visible here with its reason.
    /// </summary>
    public static string? ExclusionReason(PublicVector vector)
    {
        if (vector.Flag("out_of_scope"))
        {
            return "out_of_scope: AFS/crypt(3) DES string-to-key (s2kparams 01); Active Directory never uses it.";
        }

        if (vector.Flag("optional"))
        {
            return "optional: DES3 (des3-cbc-sha1-kd); the library has no DES3 because AD never stores DES3 keys.";
        }

        if (vector.Iterations is int iterations && iterations >= 1 << 24)
        {
            return "PBKDF2 with 2^24 iterations: too slow for CI (the same PRF is covered by the low-count entries).";
        }

        if (vector.Algorithm.StartsWith("NTOWFv2", StringComparison.Ordinal))
        {
            return "NTOWFv2 is an NTLMv2 response key, not a stored credential; the library has no API for it.";
        }

        if (vector.Notes.StartsWith("UNRESOLVED", StringComparison.Ordinal))
        {
            // The gMSA DES-CBC-MD5 entry: DSInternals marks it Assert.Inconclusive and nobody has reproduced it;
            // its notes say "Do not use as a pass/fail test".
            return "UNRESOLVED per its own notes (DSInternals gMSA DES value that no encoding reproduces).";
        }

        return null;
    }

    /// <summary>The indexes of the runnable entries whose algorithm satisfies <paramref name="predicate"/>.</summary>
    public static TheoryData<int> Select(Func<string, bool> predicate)
    {
        var data = new TheoryData<int>();
        foreach (PublicVector vector in All)
        {
            if (ExclusionReason(vector) is null && predicate(vector.Algorithm))
            {
                data.Add(vector.Index);
            }
        }

        return data;
    }

    private static List<PublicVector> Load()
    {
        string path = RepositoryPaths.PublicVectors;
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var vectors = new List<PublicVector>();
        int index = 0;
        foreach (JsonElement entry in document.RootElement.EnumerateArray())
        {
            vectors.Add(new PublicVector(index++, entry.Clone()));
        }

        return vectors;
    }
}
