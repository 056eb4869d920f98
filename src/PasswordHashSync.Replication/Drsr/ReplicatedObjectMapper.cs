using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Directory;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// Turns the replicated objects of one GetNCChanges reply into <see cref="ReplicatedAccount"/>s: decodes the
/// reply's ATTRTYPs through its own prefix table (MS-DRSR 5.16.4), the values by attribute syntax (2.5.5.12 UTF-16LE,
/// 2.5.5.9 int32, 2.5.5.16 int64, 2.5.5.17 SID, 2.5.5.10 GUID, 2.5.5.2 class ATTRTYPs), and the secrets with
/// <see cref="ReplicatedSecretDecryptor"/> (envelope and RID-DES for unicodePwd and ntPwdHistory; envelope only for
/// supplementalCredentials).
/// </summary>
internal sealed class ReplicatedObjectMapper
{
    private readonly SchemaPrefixTable _table;
    private readonly uint? _objectClass, _adminDescription, _objectGuid, _userAccountControl, _unicodePwd, _ntPwdHistory,
        _pwdLastSet, _supplementalCredentials, _objectSid, _samAccountName, _userPrincipalName;

    /// <summary>Creates a mapper for the ATTRTYP numbering of one reply.</summary>
    /// <param name="prefixTable">The reply's PrefixTableSrc.</param>
    public ReplicatedObjectMapper(SchemaPrefixTable prefixTable)
    {
        ArgumentNullException.ThrowIfNull(prefixTable);
        _table = prefixTable;
        _objectClass = Resolve(ReplicationAttributes.ObjectClass);
        _adminDescription = Resolve(ReplicationAttributes.AdminDescription);
        _objectGuid = Resolve(ReplicationAttributes.ObjectGuid);
        _userAccountControl = Resolve(ReplicationAttributes.UserAccountControl);
        _unicodePwd = Resolve(ReplicationAttributes.UnicodePwd);
        _ntPwdHistory = Resolve(ReplicationAttributes.NtPwdHistory);
        _pwdLastSet = Resolve(ReplicationAttributes.PwdLastSet);
        _supplementalCredentials = Resolve(ReplicationAttributes.SupplementalCredentials);
        _objectSid = Resolve(ReplicationAttributes.ObjectSid);
        _samAccountName = Resolve(ReplicationAttributes.SamAccountName);
        _userPrincipalName = Resolve(ReplicationAttributes.UserPrincipalName);
    }

    /// <summary>Maps every object of a reply that is an account (has a sAMAccountName), and optionally the partial objects.</summary>
    /// <param name="reply">The reply.</param>
    /// <param name="decryptor">The decryptor holding the channel's session key.</param>
    /// <param name="includePartial">
    /// Also map objects that carry no sAMAccountName (<see cref="ReplicatedAccount.IsPartial"/>). An incremental
    /// cycle sends only the changed attributes (a password change brings unicodePwd, ntPwdHistory,
    /// supplementalCredentials, pwdLastSet and the like, but not sAMAccountName or objectClass; the RID then comes
    /// from the DSNAME's SID), so the caller fetches the whole account again by GUID with
    /// <see cref="GetNCChangesRequests.ForAccount"/>.
    /// </param>
    /// <returns>The accounts; the caller disposes each.</returns>
    public static List<ReplicatedAccount> MapAccounts(GetNCChangesReply reply, ReplicatedSecretDecryptor decryptor, bool includePartial = false)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var mapper = new ReplicatedObjectMapper(reply.PrefixTable);
        var accounts = new List<ReplicatedAccount>();
        try
        {
            foreach (ReplicaObject replicaObject in reply.Objects)
            {
                if (mapper.IsAccount(replicaObject) || (includePartial && replicaObject.Name is not null && !replicaObject.IsNcPrefix))
                {
                    accounts.Add(mapper.Map(replicaObject, decryptor));
                }
            }
        }
        catch
        {
            accounts.ForEach(a => a.Dispose());
            throw;
        }

        return accounts;
    }

    /// <summary>Whether the object carries a sAMAccountName (users, computers, service accounts, groups).</summary>
    /// <param name="replicaObject">The object.</param>
    /// <returns>Whether it is an account.</returns>
    public bool IsAccount(ReplicaObject replicaObject) =>
        _samAccountName is uint sam && replicaObject.TryFind(sam, out int index) && replicaObject.Attributes[index].Values.Length > 0;

    /// <summary>Maps one object.</summary>
    /// <param name="replicaObject">The object.</param>
    /// <param name="decryptor">The decryptor holding the channel's session key.</param>
    /// <returns>The account; the caller disposes it.</returns>
    /// <exception cref="DrsProtocolException">A value does not fit its syntax, or a secret does not decrypt.</exception>
    public ReplicatedAccount Map(ReplicaObject replicaObject, ReplicatedSecretDecryptor decryptor)
    {
        ArgumentNullException.ThrowIfNull(replicaObject);
        ArgumentNullException.ThrowIfNull(decryptor);
        DsName? name = replicaObject.Name;
        ReadOnlyMemory<byte> sidValue = Single(replicaObject, _objectSid);
        byte[] sid = sidValue.IsEmpty ? (name?.Sid ?? ReadOnlyMemory<byte>.Empty).ToArray() : sidValue.ToArray();
        uint? rid = DsName.RidOf(sid);
        ReadOnlyMemory<byte> guidValue = Single(replicaObject, _objectGuid);
        Guid? guid = guidValue.Length == 16 ? new Guid(guidValue.Span) : name is { Guid: var g } && g != Guid.Empty ? g : null;
        long? pwdLastSet = Int64(replicaObject, _pwdLastSet, "pwdLastSet");
        DateTimeOffset? passwordChanged = null;
        if (_unicodePwd is uint unicodePwd && replicaObject.TryFind(unicodePwd, out int pwdIndex) && pwdIndex < replicaObject.MetaData.Count)
        {
            passwordChanged = replicaObject.MetaData[pwdIndex].TimeChangedUtc;
        }

        if (passwordChanged is null && pwdLastSet is long set and > 0 and < 2650467743999999999)
        {
            passwordChanged = DateTimeOffset.FromFileTime(set).ToUniversalTime();
        }

        // Every value that can fail to parse is read before the secrets are decrypted, so a malformed object
        // (DrsProtocolException) leaves no decrypted secret behind: only a failing decryption can throw from here on,
        // and it zeroes what was decrypted before it.
        IReadOnlyList<string> classes = Classes(replicaObject);
        string? samAccountName = Text(replicaObject, _samAccountName);
        string? userPrincipalName = Text(replicaObject, _userPrincipalName);
        string? adminDescription = Text(replicaObject, _adminDescription);
        var userAccountControl = (UserAccountControl)(uint)(Int32(replicaObject, _userAccountControl, "userAccountControl") ?? 0);
        bool partial = !IsAccount(replicaObject);

        byte[] ntHash = [];
        byte[] history = [];
        byte[] supplemental = [];
        try
        {
            ntHash = Decrypt(replicaObject, _unicodePwd, ReplicatedSecretKind.UnicodePwd, rid, decryptor);
            history = Decrypt(replicaObject, _ntPwdHistory, ReplicatedSecretKind.NtPwdHistory, rid, decryptor);
            supplemental = Decrypt(replicaObject, _supplementalCredentials, ReplicatedSecretKind.SupplementalCredentials, rid, decryptor);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(ntHash);
            CryptographicOperations.ZeroMemory(history);
            throw;
        }

        var user = new DirectoryUser
        {
            DistinguishedName = name?.DistinguishedName ?? string.Empty,
            ObjectClasses = classes,
            SamAccountName = samAccountName,
            UserPrincipalName = userPrincipalName,
            ObjectSid = sid,
            Rid = rid,
            ObjectGuid = guid,
            UserAccountControl = userAccountControl,
            PwdLastSet = pwdLastSet,
            AdminDescription = adminDescription,
            NtHash = ntHash,
            SupplementalCredentials = supplemental,
            PasswordLastChanged = passwordChanged,
        };
        return new ReplicatedAccount(user, ntHash, history, supplemental) { IsPartial = partial };
    }

    private uint? Resolve(string oid) => _table.TryGetAttributeType(oid, out uint attributeType) ? attributeType : null;

    private static ReadOnlyMemory<byte> Single(ReplicaObject replicaObject, uint? attributeType)
    {
        if (attributeType is uint type && replicaObject.TryFind(type, out int index) && replicaObject.Attributes[index].Values.Length > 0)
        {
            return replicaObject.Attributes[index].Values[0];
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    private static string? Text(ReplicaObject replicaObject, uint? attributeType)
    {
        if (attributeType is not uint type || !replicaObject.TryFind(type, out int index) || replicaObject.Attributes[index].Values.Length == 0)
        {
            return null;
        }

        ReadOnlyMemory<byte> value = replicaObject.Attributes[index].Values[0];
        if (value.Length % 2 != 0)
        {
            throw new DrsProtocolException("A Unicode-string attribute value has an odd number of bytes.");
        }

        return Encoding.Unicode.GetString(value.Span);
    }

    private static int? Int32(ReplicaObject replicaObject, uint? attributeType, string attribute)
    {
        ReadOnlyMemory<byte> value = Single(replicaObject, attributeType);
        if (value.IsEmpty)
        {
            return null;
        }

        return value.Length == 4 ? BinaryPrimitives.ReadInt32LittleEndian(value.Span) : throw new DrsProtocolException($"The {attribute} value must be 4 bytes, not {value.Length}.");
    }

    private static long? Int64(ReplicaObject replicaObject, uint? attributeType, string attribute)
    {
        ReadOnlyMemory<byte> value = Single(replicaObject, attributeType);
        if (value.IsEmpty)
        {
            return null;
        }

        return value.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(value.Span) : throw new DrsProtocolException($"The {attribute} value must be 8 bytes, not {value.Length}.");
    }

    private List<string> Classes(ReplicaObject replicaObject)
    {
        var classes = new List<string>();
        if (_objectClass is uint type && replicaObject.TryFind(type, out int index))
        {
            foreach (ReadOnlyMemory<byte> value in replicaObject.Attributes[index].Values)
            {
                if (value.Length != 4)
                {
                    throw new DrsProtocolException($"An objectClass value must be a 4-byte ATTRTYP, not {value.Length} bytes.");
                }

                uint classType = BinaryPrimitives.ReadUInt32LittleEndian(value.Span);
                classes.Add(_table.TryGetOid(classType, out string oid)
                    ? ReplicationAttributes.ClassName(oid)
                    : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0x{classType:X8}"));
            }
        }

        // DRS sends the most specific class first (Samba: user, organizationalPerson, person, top); DirectoryUser
        // lists the most general first, as LDAP does, and takes the last as the structural class.
        if (classes.Count > 1 && classes[^1] == "top" && classes[0] != "top")
        {
            classes.Reverse();
        }

        return classes;
    }

    private static byte[] Decrypt(ReplicaObject replicaObject, uint? attributeType, ReplicatedSecretKind kind, uint? rid, ReplicatedSecretDecryptor decryptor)
    {
        if (attributeType is not uint type || !replicaObject.TryFind(type, out int index))
        {
            return [];
        }

        ReadOnlyMemory<byte>[] values = replicaObject.Attributes[index].Values;
        if (values.Length == 0 || values[0].IsEmpty)
        {
            return [];
        }

        if (values.Length > 1)
        {
            // Samba's repl_decrypt.c refuses a secret with more than one value as well.
            throw new DrsProtocolException($"The secret attribute {kind} has {values.Length} values; a secret has one.");
        }

        bool needsRid = kind is ReplicatedSecretKind.UnicodePwd or ReplicatedSecretKind.NtPwdHistory or ReplicatedSecretKind.DbcsPwd or ReplicatedSecretKind.LmPwdHistory;
        if (needsRid && rid is null)
        {
            throw new DrsProtocolException($"The object carries {kind} but no objectSid, so its RID-encrypted hash cannot be decrypted.");
        }

        try
        {
            return decryptor.Decrypt(kind, values[0].Span, rid ?? 0);
        }
        catch (ReplicatedSecretDecryptionException e)
        {
            throw new DrsProtocolException($"The replicated {kind} of {replicaObject.Name} could not be decrypted: {e.Message}", e);
        }
    }
}
