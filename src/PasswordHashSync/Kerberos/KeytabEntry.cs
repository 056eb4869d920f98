using System.Text;

namespace PasswordHashSync.Kerberos;

/// <summary>
/// One key of a principal as an MIT keytab stores it: principal name, timestamp, key version number and key.
/// </summary>
/// <remarks>The entry refers to the <see cref="KerberosKey"/> it was given; disposing that key zeroes it here too.</remarks>
public sealed class KeytabEntry
{
    /// <summary>KRB5_NT_PRINCIPAL (1): the name type of user principals.</summary>
    public const int PrincipalNameType = 1;

    /// <summary>KRB5_NT_SRV_HST (3): the name type of host-based service principals such as <c>host/name</c>.</summary>
    public const int ServiceHostNameType = 3;

    /// <summary>The longest realm or name component a keytab can hold: 65535 UTF-8 bytes (a 16-bit length).</summary>
    public const int MaxNameLength = ushort.MaxValue;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string[] _components;

    /// <summary>Creates an entry.</summary>
    /// <param name="realm">The realm, for example <c>EXAMPLE.COM</c>; not empty.</param>
    /// <param name="nameComponents">The principal name components, for example <c>["alice"]</c> or <c>["host", "pc1.example.com"]</c>; at least one, none empty.</param>
    /// <param name="key">The key; its type and bytes are written.</param>
    /// <param name="keyVersionNumber">The key version number (kvno), 0 or more.</param>
    /// <param name="timestamp">When the key was written; stored as 32-bit Unix seconds.</param>
    /// <param name="nameType">The principal name type (default <see cref="PrincipalNameType"/>).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The realm or a component is empty, too long or holds a lone surrogate, or there is no component.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kvno is negative or the timestamp does not fit 32-bit Unix seconds.</exception>
    public KeytabEntry(string realm, IReadOnlyList<string> nameComponents, KerberosKey key, int keyVersionNumber, DateTimeOffset timestamp, int nameType = PrincipalNameType)
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(nameComponents);
        ArgumentNullException.ThrowIfNull(key);
        ValidateName(realm, nameof(realm));
        if (nameComponents.Count == 0 || nameComponents.Count > ushort.MaxValue)
        {
            throw new ArgumentException("A principal needs between 1 and 65535 name components.", nameof(nameComponents));
        }
        foreach (string component in nameComponents)
        {
            ArgumentNullException.ThrowIfNull(component, nameof(nameComponents));
            ValidateName(component, nameof(nameComponents));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(keyVersionNumber);
        long seconds = timestamp.ToUnixTimeSeconds();
        if (seconds is < 0 or > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "The timestamp must fit 32-bit unsigned Unix seconds (1970 to 2106).");
        }
        Realm = realm;
        _components = [.. nameComponents];
        Key = key;
        KeyVersionNumber = keyVersionNumber;
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        NameType = nameType;
    }

    /// <summary>The realm.</summary>
    public string Realm { get; }

    /// <summary>The principal name components.</summary>
    public IReadOnlyList<string> NameComponents => _components;

    /// <summary>The key.</summary>
    public KerberosKey Key { get; }

    /// <summary>The key version number.</summary>
    public int KeyVersionNumber { get; }

    /// <summary>The timestamp, truncated to whole seconds.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The principal name type.</summary>
    public int NameType { get; }

    /// <summary>
    /// Creates an entry from a principal written as <c>name[/instance...]@REALM</c>, for example <c>alice@EXAMPLE.COM</c>.
    /// </summary>
    /// <param name="principal">The principal; backslash escapes are not supported.</param>
    /// <param name="key">The key.</param>
    /// <param name="keyVersionNumber">The kvno.</param>
    /// <param name="timestamp">The timestamp.</param>
    /// <returns>The entry, with <see cref="PrincipalNameType"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The principal has no realm, an empty component, or a backslash.</exception>
    public static KeytabEntry ForPrincipal(string principal, KerberosKey key, int keyVersionNumber, DateTimeOffset timestamp)
    {
        (string realm, string[] components) = ParsePrincipal(principal);
        return new KeytabEntry(realm, components, key, keyVersionNumber, timestamp);
    }

    /// <summary>Splits <c>name[/instance...]@REALM</c> into realm and components.</summary>
    /// <param name="principal">The principal.</param>
    /// <returns>The realm and the name components.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="principal"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The principal has no realm, an empty component, or a backslash.</exception>
    public static (string Realm, string[] NameComponents) ParsePrincipal(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Contains('\\', StringComparison.Ordinal))
        {
            throw new FormatException("Backslash escapes in principal names are not supported.");
        }
        int at = principal.LastIndexOf('@');
        if (at <= 0 || at == principal.Length - 1)
        {
            throw new FormatException("A principal must be written name@REALM (for example alice@EXAMPLE.COM).");
        }
        string[] components = principal[..at].Split('/');
        if (Array.Exists(components, c => c.Length == 0) || principal[..at].Contains('@', StringComparison.Ordinal))
        {
            throw new FormatException("A principal name must not have empty components or a second '@'.");
        }
        return (principal[(at + 1)..], components);
    }

    private static void ValidateName(string value, string parameterName)
    {
        if (value.Length == 0)
        {
            throw new ArgumentException("Realm and name components must not be empty.", parameterName);
        }
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            // Encoding.UTF8 would write U+FFFD in its place: a principal other than the one asked for.
            throw new ArgumentException("Realm and name components must be well-formed UTF-16 (no lone surrogates).", parameterName);
        }

        if (byteCount > MaxNameLength)
        {
            throw new ArgumentException($"Realm and name components must be at most {MaxNameLength} UTF-8 bytes.", parameterName);
        }
    }
}
