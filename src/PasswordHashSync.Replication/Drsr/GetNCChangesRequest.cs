using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// DRS_MSG_GETCHGREQ_V8 (MS-DRSR 4.1.10.2.6; IDL <c>drsuapi_DsGetNCChangesRequest8</c>), written by
/// <see cref="Write"/> as the input of IDL_DRSGetNCChanges (opnum 3; IDL <c>drsuapi_DsGetNCChanges</c>).
/// </summary>
internal sealed class GetNCChangesRequest
{
    /// <summary>The opnum of IDL_DRSGetNCChanges.</summary>
    public const ushort Opnum = 3;

    /// <summary>The IDL's <c>[range(1,0x100000)]</c> on a partial attribute set.</summary>
    public const int MaxPartialAttributes = 0x100000;

    /// <summary>uuidDsaObjDest.</summary>
    public Guid DestinationDsa { get; init; }

    /// <summary>uuidInvocIdSrc: the server's invocationId from the stored watermark, or empty on a first sync.</summary>
    public Guid SourceInvocationId { get; init; }

    /// <summary>pNC: the NC root, or the object for EXOP_REPL_OBJ.</summary>
    public required DsName NamingContext { get; init; }

    /// <summary>usnvecFrom.</summary>
    public UsnVector UsnVectorFrom { get; init; }

    /// <summary>pUpToDateVecDest, or <see langword="null"/>.</summary>
    public IReadOnlyList<UpToDateCursor>? UpToDateVector { get; init; }

    /// <summary>ulFlags.</summary>
    public DrsOptions Flags { get; init; }

    /// <summary>cMaxObjects.</summary>
    public uint MaxObjects { get; init; }

    /// <summary>cMaxBytes.</summary>
    public uint MaxBytes { get; init; }

    /// <summary>ulExtendedOp.</summary>
    public ExtendedOperation ExtendedOperation { get; init; }

    /// <summary>liFsmoInfo.</summary>
    public long FsmoInfo { get; init; }

    /// <summary>pPartialAttrSet (ATTRTYPs in <see cref="PrefixTable"/>'s numbering), or <see langword="null"/> for all attributes.</summary>
    public IReadOnlyList<uint>? PartialAttributeSet { get; init; }

    /// <summary>PrefixTableDest.</summary>
    public SchemaPrefixTable PrefixTable { get; init; } = SchemaPrefixTable.Empty;

    /// <summary>Writes the request stub: the handle, dwInVersion 8, the union and DRS_MSG_GETCHGREQ_V8.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="handle">The DRS handle.</param>
    public void Write(NdrWriter writer, DrsHandle handle)
    {
        if (PartialAttributeSet is { Count: 0 or > MaxPartialAttributes })
        {
            throw new InvalidOperationException("A partial attribute set needs 1 to 0x100000 attributes; use null for all.");
        }

        handle.Write(writer);
        writer.WriteUInt32(8);                          // dwInVersion
        writer.WriteUInt32(8);                          // union discriminant
        writer.Align(8);                                // DRS_MSG_GETCHGREQ_V8 holds hypers
        writer.WriteGuid(DestinationDsa);
        writer.WriteGuid(SourceInvocationId);
        writer.WriteEmbeddedRefPointer();               // [ref] pNC
        UsnVectorFrom.Write(writer);
        bool hasUtd = writer.WriteUniquePointer(UpToDateVector is not null);
        writer.WriteUInt32((uint)Flags);
        writer.WriteUInt32(MaxObjects);
        writer.WriteUInt32(MaxBytes);
        writer.WriteUInt32((uint)ExtendedOperation);
        writer.WriteInt64(FsmoInfo);
        bool hasPas = writer.WriteUniquePointer(PartialAttributeSet is not null);
        writer.WriteUniquePointer(false);               // pPartialAttrSetEx
        PrefixTable.WriteScalars(writer);

        // Deferred pointees, in member order.
        NamingContext.Write(writer);
        if (hasUtd)
        {
            Drsr.UpToDateVector.WriteV1(writer, UpToDateVector!);
        }

        if (hasPas)
        {
            WritePartialAttributeSet(writer, PartialAttributeSet!);
        }

        PrefixTable.WriteBuffers(writer);
    }

    /// <summary>PARTIAL_ATTR_VECTOR_V1_EXT (MS-DRSR 5.146; IDL <c>drsuapi_DsPartialAttributeSet</c>), a conformant struct.</summary>
    private static void WritePartialAttributeSet(NdrWriter writer, IReadOnlyList<uint> attributes)
    {
        writer.WriteUInt32((uint)attributes.Count);     // conformance
        writer.WriteUInt32(1);                          // dwVersion
        writer.WriteUInt32(0);                          // dwReserved1
        writer.WriteUInt32((uint)attributes.Count);     // cAttrs
        foreach (uint attribute in attributes)
        {
            writer.WriteUInt32(attribute);
        }
    }
}
