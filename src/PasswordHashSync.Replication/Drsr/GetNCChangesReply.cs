using PasswordHashSync.Replication.Drsr.Ndr;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// The output of IDL_DRSGetNCChanges (MS-DRSR 4.1.10; IDL <c>drsuapi_DsGetNCChanges</c> out): DRS_MSG_GETCHGREPLY_V6
/// (MS-DRSR 4.1.10.2.12; IDL <c>drsuapi_DsGetNCChangesCtr6</c>) or V1 (IDL <c>drsuapi_DsGetNCChangesCtr1</c>). The
/// compressed versions V2 and V7 are refused with a clear error, because the client never asks for compression.
/// </summary>
/// <remarks>
/// Attribute values are slices of the response stub, which this object owns: dispose it once the objects are mapped
/// (the stub, with the encrypted secrets, is then cleared).
/// </remarks>
internal sealed class GetNCChangesReply : IDisposable
{
    private IDisposable? _owner;

    private GetNCChangesReply()
    {
    }

    /// <summary>pdwOutVersion: 1 or 6.</summary>
    public int Version { get; private set; }

    /// <summary>uuidDsaObjSrc: the objectGUID of the server's NTDS Settings object.</summary>
    public Guid SourceDsa { get; private set; }

    /// <summary>uuidInvocIdSrc: the server's invocationId (a change means a restore: start over).</summary>
    public Guid SourceInvocationId { get; private set; }

    /// <summary>pNC.</summary>
    public DsName? NamingContext { get; private set; }

    /// <summary>usnvecFrom as the server understood it.</summary>
    public UsnVector UsnVectorFrom { get; private set; }

    /// <summary>usnvecTo: the high-water mark to send as usnvecFrom next.</summary>
    public UsnVector UsnVectorTo { get; private set; }

    /// <summary>pUpToDateVecSrc (only in the last reply of a cycle), or <see langword="null"/>.</summary>
    public IReadOnlyList<UpToDateCursor>? UpToDateVector { get; private set; }

    /// <summary>PrefixTableSrc: decode every ATTRTYP of this reply with it.</summary>
    public SchemaPrefixTable PrefixTable { get; private set; } = SchemaPrefixTable.Empty;

    /// <summary>ulExtendedRet (EXOP_ERR; MS-DRSR 4.1.10.2.21).</summary>
    public uint ExtendedResult { get; private set; }

    /// <summary>The objects, in list order.</summary>
    public IReadOnlyList<ReplicaObject> Objects { get; private set; } = [];

    /// <summary>fMoreData: another call on the same handle continues the cycle.</summary>
    public bool MoreData { get; private set; }

    /// <summary>cNumNcSizeObjects (V6; with DRS_GET_NC_SIZE).</summary>
    public uint NcSizeObjects { get; private set; }

    /// <summary>cNumNcSizeValues (V6).</summary>
    public uint NcSizeValues { get; private set; }

    /// <summary>cNumValues: the linked values (parsed and skipped).</summary>
    public int LinkedValueCount { get; private set; }

    /// <summary>dwDRSError (V6).</summary>
    public int DrsError { get; private set; }

    /// <summary>The method's WERROR return.</summary>
    public int Result { get; private set; }

    /// <summary>Parses a response stub; the reply takes ownership of <paramref name="owner"/> (the pooled stub).</summary>
    /// <param name="stub">The stub bytes.</param>
    /// <param name="owner">Disposed with the reply, or <see langword="null"/>.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="DrsProtocolException">The stub is malformed or its version is not 1 or 6.</exception>
    public static GetNCChangesReply Parse(ReadOnlyMemory<byte> stub, IDisposable? owner = null)
    {
        var reply = new GetNCChangesReply();
        var reader = new NdrReader(stub);
        uint levelOut = reader.ReadUInt32("pdwOutVersion");
        uint arm = reader.ReadUInt32("pmsgOut discriminant");
        if (arm != levelOut)
        {
            throw reader.Malformed("pmsgOut discriminant", "does not match pdwOutVersion");
        }

        switch (levelOut)
        {
            case 1:
            case 6:
                break;
            case 2:
            case 7:
                throw new DrsProtocolException(
                    $"The DC sent a compressed GetNCChanges reply (version {levelOut}); compression is not supported, and this client never sets DRS_USE_COMPRESSION.");
            default:
                throw new DrsProtocolException($"The DC sent GetNCChanges reply version {levelOut}; only versions 1 and 6 are supported.");
        }

        reply.Version = (int)levelOut;
        reader.Align(8, "DRS_MSG_GETCHGREPLY");
        reply.SourceDsa = reader.ReadGuid("uuidDsaObjSrc");
        reply.SourceInvocationId = reader.ReadGuid("uuidInvocIdSrc");
        bool hasNc = reader.ReadPointer("pNC");
        reply.UsnVectorFrom = UsnVector.Read(ref reader, "usnvecFrom");
        reply.UsnVectorTo = UsnVector.Read(ref reader, "usnvecTo");
        bool hasUtd = reader.ReadPointer("pUpToDateVecSrc");
        int prefixCount = SchemaPrefixTable.ReadScalars(ref reader);
        reply.ExtendedResult = reader.ReadUInt32("ulExtendedRet");
        reader.ReadUInt32("cNumObjects");
        reader.ReadUInt32("cNumBytes");
        bool hasObjects = reader.ReadPointer("pObjects");
        reply.MoreData = reader.ReadUInt32("fMoreData") != 0;
        uint linkedCount = 0;
        bool hasLinked = false;
        if (levelOut == 6)
        {
            reply.NcSizeObjects = reader.ReadUInt32("cNumNcSizeObjects");
            reply.NcSizeValues = reader.ReadUInt32("cNumNcSizeValues");
            linkedCount = reader.ReadUInt32("cNumValues");
            if (linkedCount > ReplicaLinkedValue.MaxValues)
            {
                throw reader.Malformed("cNumValues", "is above the IDL maximum");
            }

            hasLinked = reader.ReadPointer("rgValues");
            reply.DrsError = reader.ReadInt32("dwDRSError");
        }

        // Deferred pointees in member order.
        if (hasNc)
        {
            reply.NamingContext = DsName.Read(ref reader, "pNC");
        }

        if (hasUtd)
        {
            reply.UpToDateVector = levelOut == 6 ? Drsr.UpToDateVector.ReadV2(ref reader) : Drsr.UpToDateVector.ReadV1(ref reader);
        }

        reply.PrefixTable = SchemaPrefixTable.ReadBuffers(ref reader, prefixCount);
        if (hasObjects)
        {
            reply.Objects = ReplicaObjectList.Read(ref reader);
        }

        if (hasLinked)
        {
            ReplicaLinkedValue.Skip(ref reader, linkedCount);
            reply.LinkedValueCount = (int)linkedCount;
        }

        reply.Result = reader.ReadInt32("IDL_DRSGetNCChanges return value");
        reader.ExpectEnd("IDL_DRSGetNCChanges response");
        reply._owner = owner;
        return reply;
    }

    /// <summary>Parses the stub of <paramref name="stub"/> and takes ownership of it.</summary>
    /// <param name="stub">The pooled response stub.</param>
    /// <returns>The reply.</returns>
    public static GetNCChangesReply Parse(RpcResponseStub stub)
    {
        ArgumentNullException.ThrowIfNull(stub);
        try
        {
            return Parse(stub.Memory, stub);
        }
        catch
        {
            stub.Dispose();
            throw;
        }
    }

    /// <summary>Clears and releases the stub the attribute values point into.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _owner, null)?.Dispose();
    }
}
