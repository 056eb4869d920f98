namespace PasswordHashSync.Cli.Input;

/// <summary>Where a command's password comes from, as the options said.</summary>
/// <param name="FromStdin">Whether <c>--password-stdin</c> was given.</param>
/// <param name="Value">The value of <c>--password</c>, or <see langword="null"/> when absent.</param>
/// <param name="AllowEmpty">Whether <c>--allow-empty-password</c> was given.</param>
internal readonly record struct PasswordInput(bool FromStdin, string? Value, bool AllowEmpty)
{
    /// <summary>Whether a password source was named on the command line.</summary>
    public bool IsGiven => FromStdin || Value is not null;

    /// <summary>Hides the value: a password never reaches a log through <c>ToString</c>.</summary>
    /// <returns>The shape of the input, without the password.</returns>
    public override string ToString() => $"PasswordInput {{ FromStdin = {FromStdin}, Value = {(Value is null ? "null" : "(hidden)")}, AllowEmpty = {AllowEmpty} }}";
}
