namespace PasswordHashSync.Cli.Input;

/// <summary>Where a command's NT hash comes from: <c>--nt-hash HEX</c>, <c>--nt-hash-stdin</c>, or a password.</summary>
/// <param name="Hex">The value of <c>--nt-hash</c>, or <see langword="null"/>.</param>
/// <param name="FromStdin">Whether <c>--nt-hash-stdin</c> was given.</param>
/// <param name="Password">The password options, used when neither NT hash option is.</param>
internal readonly record struct NtHashSource(string? Hex, bool FromStdin, PasswordInput Password)
{
    /// <summary>Hides the hash: it is a password equivalent.</summary>
    /// <returns>The shape of the input, without secrets.</returns>
    public override string ToString() => $"NtHashSource {{ Hex = {(Hex is null ? "null" : "(hidden)")}, FromStdin = {FromStdin}, Password = {Password} }}";
}
