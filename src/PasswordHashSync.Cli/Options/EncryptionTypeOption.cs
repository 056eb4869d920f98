using System.CommandLine;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.Cli.Options;

/// <summary>The <c>--etype LIST</c> option of <c>kerberos</c> and <c>keytab</c>, with completions for the MIT names.</summary>
internal static class EncryptionTypeOption
{
    /// <summary>The option's name.</summary>
    public const string Name = "--etype";

    /// <summary>Creates the option.</summary>
    /// <param name="description">The help text (it names the default).</param>
    /// <returns>The option; <see langword="null"/> when absent.</returns>
    public static Option<string> Create(string description)
    {
        var option = new Option<string>(Name) { Description = description, HelpName = "LIST|all" };
        option.CompletionSources.Add(["all", .. KerberosEncryptionTypes.All.Select(KerberosEncryptionTypes.GetName)]);
        return option;
    }
}
