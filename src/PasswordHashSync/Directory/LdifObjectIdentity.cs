namespace PasswordHashSync.Directory;

/// <summary>
/// What identifies one object of an LDIF export: its DN and, when the record has a well-formed one, its
/// <c>objectGUID</c>. Read by <see cref="LdifDirectoryReader.ReadIdentities(Stream, LdifReaderOptions?)"/> without
/// decoding the rest of the record.
/// </summary>
public readonly struct LdifObjectIdentity
{
    /// <summary>Creates an identity.</summary>
    /// <param name="distinguishedName">The DN.</param>
    /// <param name="objectGuid">The objectGUID, or <see langword="null"/>.</param>
    public LdifObjectIdentity(string distinguishedName, Guid? objectGuid)
    {
        DistinguishedName = distinguishedName;
        ObjectGuid = objectGuid;
    }

    /// <summary>The DN, as <see cref="DirectoryUser.DistinguishedName"/> would hold it.</summary>
    public string DistinguishedName { get; }

    /// <summary>The first <c>objectGUID</c> value, or <see langword="null"/> when absent or malformed.</summary>
    public Guid? ObjectGuid { get; }
}
