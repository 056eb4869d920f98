namespace PasswordHashSync.TestSupport;

// The part of ExternalTool that fails an xunit test, kept apart so the rest links into the benchmarks without xunit.
public static partial class ExternalTool
{
    /// <summary>Finds <paramref name="name"/> on PATH (or the usual sbin folders) or fails the test with a hint.</summary>
    /// <param name="name">The program name.</param>
    /// <param name="debianPackage">The Debian package that provides it, for the message.</param>
    /// <returns>The full path.</returns>
    public static string Require(string name, string debianPackage)
    {
        string? path = Find(name);
        if (path is null)
        {
            throw new Xunit.Sdk.XunitException(
                $"Required tool '{name}' was not found. Install it with 'apt-get install -y {debianPackage}' (bash .ci/run does this).");
        }

        return path;
    }
}
