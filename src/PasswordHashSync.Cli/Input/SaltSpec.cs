namespace PasswordHashSync.Cli.Input;

/// <summary>The Kerberos salt options as given (each <see langword="null"/> when absent).</summary>
/// <param name="Salt"><c>--salt</c>: the salt as text.</param>
/// <param name="SaltHex"><c>--salt-hex</c>: the salt as hex.</param>
/// <param name="Realm"><c>--realm</c>.</param>
/// <param name="Account"><c>--account</c>.</param>
/// <param name="AccountType"><c>--account-type</c>.</param>
internal readonly record struct SaltSpec(string? Salt, string? SaltHex, string? Realm, string? Account, string? AccountType);
