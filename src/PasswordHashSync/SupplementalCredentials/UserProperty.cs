namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// One <c>USER_PROPERTY</c> of a <c>supplementalCredentials</c> blob (MS-SAMR 2.2.10.1): a name such as
/// <c>Primary:Kerberos-Newer-Keys</c> and a binary value, which the blob stores as hex text.
/// </summary>
/// <remarks>
/// The value can be a secret (Kerberos keys, WDigest hashes, a cleartext password): it is held in one pinned array
/// that <see cref="Dispose"/> zeroes; after that <see cref="Value"/> throws <see cref="ObjectDisposedException"/>.
/// <see cref="ToString"/> shows the name and value length only.
/// </remarks>
public sealed class UserProperty : IDisposable
{
    private readonly byte[] _value;
    private bool _disposed;

    /// <summary>Creates a property; the value is copied.</summary>
    /// <param name="name">The property name.</param>
    /// <param name="value">The binary value.</param>
    /// <param name="reserved">The Reserved field (Windows writes 2 for <c>Packages</c> and 1 otherwise).</param>
    /// <param name="uppercaseHex">Whether the value is written as uppercase hex (Samba) rather than lowercase (Windows).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public UserProperty(string name, ReadOnlySpan<byte> value, ushort reserved = 1, bool uppercaseHex = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _value = SecretBytes.Copy(value);
        Reserved = reserved;
        UppercaseHex = uppercaseHex;
    }

    /// <summary>Takes ownership of <paramref name="value"/> (a <see cref="SecretBytes"/> array the parser decoded into).</summary>
    internal UserProperty(string name, byte[] value, ushort reserved, bool uppercaseHex)
    {
        Name = name;
        _value = value;
        Reserved = reserved;
        UppercaseHex = uppercaseHex;
    }

    /// <summary>The property name.</summary>
    public string Name { get; }

    /// <summary>The decoded binary value.</summary>
    /// <exception cref="ObjectDisposedException">The property was disposed.</exception>
    public ReadOnlyMemory<byte> Value
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _value;
        }
    }

    /// <summary>The value length (also after dispose).</summary>
    internal int Length => _value.Length;

    /// <summary>The Reserved field of the property header.</summary>
    public ushort Reserved { get; }

    /// <summary>Whether the value's hex text uses uppercase letters (as Samba writes) instead of lowercase (as Windows writes).</summary>
    public bool UppercaseHex { get; }

    /// <summary>Zeroes the value.</summary>
    public void Dispose()
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(_value);
        _disposed = true;
    }

    /// <inheritdoc />
    public override string ToString() => $"UserProperty {{ {Name}, {_value.Length} bytes }}";
}
