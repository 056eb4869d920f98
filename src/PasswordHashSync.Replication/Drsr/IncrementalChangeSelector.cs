using System.Buffers.Binary;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// Picks the objects of an incremental GetNCChanges reply that must be replicated again in full. From a non-empty
/// watermark and up-to-dateness vector the DC sends, per object, only the attributes whose metadata changed since
/// (MS-DRSR 4.1.10.5.9 GetChangesInScope / 4.1.10.6.x attribute filtering): a password change brings unicodePwd,
/// ntPwdHistory, supplementalCredentials and pwdLastSet but not sAMAccountName, objectClass, objectSid or
/// userAccountControl, so the object alone cannot be planned. The client fetches each selected object again by
/// objectGUID (<see cref="GetNCChangesRequests.ForAccount"/>, EXOP_REPL_OBJ), in reply order.
/// </summary>
/// <remarks>
/// <para>Selected: an object that carries at least one attribute the sync planner reads
/// (<see cref="ReplicationAttributes.AccountAttributes"/>), its RDN (<c>name</c>: a rename or move) or <c>isDeleted</c>
/// without a value (an undelete). Its class is not known yet (objectClass travels only at creation), so groups and other
/// accounts are selected too and dropped after the re-fetch, which returns objectClass.</para>
/// <para>Left out: the NC root; objects without a GUID; objects whose changes touch nothing the planner reads (for
/// example lastLogonTimestamp or a description), since they cannot change what is exported; and deleted objects
/// (isDeleted TRUE: the tombstone has no secrets left, and password hash sync exports passwords, not deletions).</para>
/// </remarks>
internal static class IncrementalChangeSelector
{
    /// <summary>isDeleted (MS-ADA1 2.330; 2.5.5.8 boolean, 4-byte int on the wire).</summary>
    public const string IsDeleted = "1.2.840.113556.1.2.48";

    /// <summary>name, the RDN attribute (MS-ADA3 2.43 RDN; changes on rename and on move).</summary>
    public const string Name = "1.2.840.113556.1.4.1";

    /// <summary>What the selection found in one reply.</summary>
    /// <param name="ToFetch">The objectGUIDs to fetch again, in reply order.</param>
    /// <param name="Deleted">How many objects were deleted ones (tombstones), left out.</param>
    public readonly record struct Selection(IReadOnlyList<Guid> ToFetch, int Deleted);

    /// <summary>Selects the objects to fetch again.</summary>
    /// <param name="reply">An incremental reply.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="DrsProtocolException">An isDeleted value is not a 4-byte boolean.</exception>
    public static Selection Select(GetNCChangesReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        SchemaPrefixTable table = reply.PrefixTable;
        var triggers = new HashSet<uint>();
        foreach (string oid in ReplicationAttributes.AccountAttributes.Append(Name))
        {
            if (table.TryGetAttributeType(oid, out uint attributeType))
            {
                triggers.Add(attributeType);
            }
        }

        uint? isDeleted = table.TryGetAttributeType(IsDeleted, out uint deletedType) ? deletedType : null;
        var toFetch = new List<Guid>();
        var seen = new HashSet<Guid>();
        int deleted = 0;
        foreach (ReplicaObject replicaObject in reply.Objects)
        {
            if (replicaObject.IsNcPrefix || replicaObject.Name is not { Guid: var guid } || guid == Guid.Empty)
            {
                continue;
            }

            bool? deletedState = DeletedState(replicaObject, isDeleted);
            if (deletedState == true)
            {
                deleted++;
                continue;
            }

            bool undeleted = deletedState == false;

            if ((undeleted || replicaObject.Attributes.Any(a => triggers.Contains(a.AttributeType))) && seen.Add(guid))
            {
                toFetch.Add(guid);
            }
        }

        return new Selection(toFetch, deleted);
    }

    /// <summary>
    /// The objectGUIDs of the reply's deleted objects (isDeleted TRUE). A full cycle sends tombstones too, and they keep
    /// objectClass, sAMAccountName and objectSid (MS-ADTS 3.1.1.5.5.1.1, attributes preserved on deletion), so they look
    /// like accounts; the client leaves them out.
    /// </summary>
    /// <param name="reply">Any reply.</param>
    /// <returns>The GUIDs (often empty).</returns>
    /// <exception cref="DrsProtocolException">An isDeleted value is not a 4-byte boolean.</exception>
    public static HashSet<Guid> DeletedObjects(GetNCChangesReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var deleted = new HashSet<Guid>();
        if (!reply.PrefixTable.TryGetAttributeType(IsDeleted, out uint isDeleted))
        {
            return deleted;
        }

        foreach (ReplicaObject replicaObject in reply.Objects)
        {
            if (replicaObject.Name is { Guid: var guid } && DeletedState(replicaObject, isDeleted) == true)
            {
                deleted.Add(guid);
            }
        }

        return deleted;
    }

    // True: deleted; false: isDeleted sent without a value (removed: an undelete); null: not sent.
    private static bool? DeletedState(ReplicaObject replicaObject, uint? isDeleted)
    {
        if (isDeleted is not uint attribute || !replicaObject.TryFind(attribute, out int index))
        {
            return null;
        }

        ReadOnlyMemory<byte>[] values = replicaObject.Attributes[index].Values;
        return values.Length > 0 && IsTrue(values[0]);
    }

    private static bool IsTrue(ReadOnlyMemory<byte> value) => value.Length == 4
        ? BinaryPrimitives.ReadUInt32LittleEndian(value.Span) != 0
        : throw new DrsProtocolException($"An isDeleted value must be a 4-byte boolean, not {value.Length} bytes.");
}
