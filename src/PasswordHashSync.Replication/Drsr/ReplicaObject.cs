namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// One replicated object: REPLENTINFLIST (MS-DRSR 5.164; IDL <c>drsuapi_DsReplicaObjectListItemEx</c>) with its
/// ENTINF (IDL <c>drsuapi_DsReplicaObject</c>): the name, ENTINF flags, attributes, whether it is the NC root, the
/// parent's GUID and the per-attribute metadata.
/// </summary>
internal sealed class ReplicaObject
{
    /// <summary>Creates the object.</summary>
    /// <param name="name">pName.</param>
    /// <param name="flags">ulFlags (ENTINF_FROM_MASTER 0x1, ENTINF_DYNAMIC_OBJECT 0x2, ENTINF_REMOTE_MODIFY 0x10000).</param>
    /// <param name="attributes">AttrBlock.</param>
    /// <param name="isNcPrefix">fIsNCPrefix.</param>
    /// <param name="parentGuid">pParentGuid.</param>
    /// <param name="metaData">pMetaDataExt, one entry per attribute (or empty).</param>
    public ReplicaObject(DsName? name, uint flags, ReplicaAttribute[] attributes, bool isNcPrefix, Guid? parentGuid, PropertyMetaData[] metaData)
    {
        Name = name;
        Flags = flags;
        Attributes = attributes;
        IsNcPrefix = isNcPrefix;
        ParentGuid = parentGuid;
        MetaData = metaData;
    }

    /// <summary>The object's DSNAME (GUID, SID and DN), or <see langword="null"/> if the server sent none.</summary>
    public DsName? Name { get; }

    /// <summary>ENTINF ulFlags.</summary>
    public uint Flags { get; }

    /// <summary>The attributes in wire order.</summary>
    public IReadOnlyList<ReplicaAttribute> Attributes { get; }

    /// <summary>Whether the object is the root of the naming context.</summary>
    public bool IsNcPrefix { get; }

    /// <summary>The parent's objectGUID, when sent.</summary>
    public Guid? ParentGuid { get; }

    /// <summary>The metadata; entry i belongs to <see cref="Attributes"/>[i].</summary>
    public IReadOnlyList<PropertyMetaData> MetaData { get; }

    /// <summary>Finds an attribute by ATTRTYP.</summary>
    /// <param name="attributeType">The ATTRTYP in the reply's numbering.</param>
    /// <param name="index">The attribute's index (for <see cref="MetaData"/>).</param>
    /// <returns>Whether it is present.</returns>
    public bool TryFind(uint attributeType, out int index)
    {
        for (int i = 0; i < Attributes.Count; i++)
        {
            if (Attributes[i].AttributeType == attributeType)
            {
                index = i;
                return true;
            }
        }

        index = -1;
        return false;
    }
}
