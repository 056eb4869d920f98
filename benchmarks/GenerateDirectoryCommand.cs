using System.Globalization;
using System.Text;

namespace PasswordHashSync.Benchmarks;

/// <summary>
/// <c>gen-directory SAMPLE USERS OUT [nt-only] [repeat=N] [seed=S]</c>: writes a directory of USERS users in the format
/// of SAMPLE (samples/directory.ldif) to OUT (see <see cref="SampleDirectoryGenerator"/>). <c>nt-only</c> leaves out
/// supplementalCredentials; <c>repeat=N</c> lists one earlier user again, with a newer password, every N users.
/// </summary>
internal static class GenerateDirectoryCommand
{
    public static void Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: gen-directory SAMPLE USERS OUT [nt-only] [repeat=N] [seed=S]");
            Environment.Exit(2);
        }

        int users = int.Parse(args[1], CultureInfo.InvariantCulture);
        bool blobs = !args.Contains("nt-only");
        int repeat = Option(args, "repeat=", 0);
        int seed = Option(args, "seed=", 20261203);
        using var output = new StreamWriter(args[2], append: false, new UTF8Encoding(false), 1 << 20);
        SampleDirectoryGenerator.Write(output, SampleDirectoryGenerator.ReadTemplates(args[0]), users, blobs, repeat, seed);
    }

    private static int Option(string[] args, string prefix, int fallback) =>
        args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal)) is string a ? int.Parse(a[prefix.Length..], CultureInfo.InvariantCulture) : fallback;
}
