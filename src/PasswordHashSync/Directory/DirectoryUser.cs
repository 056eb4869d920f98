namespace PasswordHashSync.Directory;

/// <summary>
/// One directory object as a password hash sync agent sees it: identity, the attributes that decide
/// scope and policy, and the replicated secrets. Built by the LDIF reader or by an integrator.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never includes <see cref="NtHash"/> or <see cref="SupplementalCredentials"/>.
/// </remarks>
public sealed class DirectoryUser
{
    /// <summary>The distinguished name, for example <c>CN=Alice,CN=Users,DC=contoso,DC=com</c>.</summary>
    public required string DistinguishedName { get; init; }

    /// <summary>The values of <c>objectClass</c>, most general first as AD returns them (<c>top</c>, <c>person</c>, ...).</summary>
    /// <exception cref="ArgumentNullException">Initialized with <see langword="null"/>.</exception>
    public IReadOnlyList<string> ObjectClasses
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value), "ObjectClasses must not be null; use an empty list.");
    } = [];

    /// <summary>The <c>sAMAccountName</c>, case preserved as stored.</summary>
    public string? SamAccountName { get; init; }

    /// <summary>The <c>userPrincipalName</c>, if any.</summary>
    public string? UserPrincipalName { get; init; }

    /// <summary>The binary <c>objectSid</c>, if known.</summary>
    public ReadOnlyMemory<byte> ObjectSid { get; init; }

    /// <summary>The relative identifier: the last sub-authority of <see cref="ObjectSid"/>, if known.</summary>
    public uint? Rid { get; init; }

    /// <summary>The <c>objectGUID</c> (the usual source anchor), if known.</summary>
    public Guid? ObjectGuid { get; init; }

    /// <summary>The <c>userAccountControl</c> flags.</summary>
    public UserAccountControl UserAccountControl { get; init; }

    /// <summary>
    /// The raw <c>pwdLastSet</c> value (a Windows FILETIME). Zero means "user must change password at next logon";
    /// <see langword="null"/> means the attribute was absent.
    /// </summary>
    public long? PwdLastSet { get; init; }

    /// <summary>The <c>adminDescription</c> value used by selective password hash sync (<c>PHSFiltered</c> / <c>PHSIncluded</c>).</summary>
    public string? AdminDescription { get; init; }

    /// <summary>The 16-byte NT hash from <c>unicodePwd</c> (already decrypted), or empty when absent.</summary>
    public ReadOnlyMemory<byte> NtHash { get; init; }

    /// <summary>The raw <c>supplementalCredentials</c> blob (USER_PROPERTIES), or empty when absent.</summary>
    public ReadOnlyMemory<byte> SupplementalCredentials { get; init; }

    /// <summary>
    /// When the password last changed on premises (from the replication metadata of <c>unicodePwd</c>, or
    /// <see cref="PwdLastSet"/> when it is not zero), or <see langword="null"/> when unknown.
    /// </summary>
    public DateTimeOffset? PasswordLastChanged { get; init; }

    /// <summary>Whether <c>objectClass</c> contains <paramref name="objectClass"/> (case-insensitive, as LDAP compares it).</summary>
    /// <param name="objectClass">The class name, for example <c>user</c>.</param>
    /// <returns><see langword="true"/> when the object has that class.</returns>
    public bool HasObjectClass(string objectClass)
    {
        ArgumentNullException.ThrowIfNull(objectClass);
        foreach (string value in ObjectClasses)
        {
            if (string.Equals(value, objectClass, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The most specific object class (the last <c>objectClass</c> value), or an empty string.</summary>
    public string StructuralObjectClass => ObjectClasses.Count == 0 ? string.Empty : ObjectClasses[^1];

    /// <inheritdoc />
    /// <remarks>Shows identity only; secrets are never included.</remarks>
    public override string ToString() =>
        $"DirectoryUser {{ {SamAccountName ?? DistinguishedName}, class {StructuralObjectClass}, " +
        $"NT hash {(NtHash.IsEmpty ? "absent" : "present")}, supplementalCredentials {(SupplementalCredentials.IsEmpty ? "absent" : "present")} }}";
}
