using System.Buffers.Binary;
using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// DRS_EXTENSIONS_INT (MS-DRSR 5.39; IDL <c>drsuapi_DsBindInfoCtr</c> holding <c>drsuapi_DsBindInfo24…52</c>): the
/// capabilities exchanged by IDL_DRSBind. On the wire: cb, cb again (the conformance of rgb), then cb bytes.
/// </summary>
/// <param name="Flags">dwFlags (<c>drsuapi_SupportedExtensions</c>).</param>
/// <param name="SiteObjectGuid">SiteObjGuid.</param>
/// <param name="ProcessId">Pid.</param>
/// <param name="ReplEpoch">dwReplEpoch.</param>
/// <param name="FlagsExt">dwFlagsExt (<c>drsuapi_SupportedExtensionsExt</c>).</param>
/// <param name="ConfigObjectGuid">ConfigObjGUID.</param>
/// <param name="ExtCaps">dwExtCaps.</param>
/// <param name="Length">cb as sent or received.</param>
internal readonly record struct DrsExtensions(
    uint Flags, Guid SiteObjectGuid, uint ProcessId, uint ReplEpoch, uint FlagsExt, Guid ConfigObjectGuid, uint ExtCaps, int Length)
{
    /// <summary>DRS_EXT_BASE.</summary>
    public const uint Base = 0x00000001;

    /// <summary>DRS_EXT_RESTORE_USN_OPTIMIZATION.</summary>
    public const uint RestoreUsnOptimization = 0x00000040;

    /// <summary>DRS_EXT_LINKED_VALUE_REPLICATION.</summary>
    public const uint LinkedValueReplication = 0x00000400;

    /// <summary>DRS_EXT_STRONG_ENCRYPTION: required for secrets (MS-DRSR 4.1.10.5.11).</summary>
    public const uint StrongEncryption = 0x00008000;

    /// <summary>DRS_EXT_GETCHGREQ_V6.</summary>
    public const uint GetChgReqV6 = 0x00400000;

    /// <summary>DRS_EXT_NONDOMAIN_NCS (Windows Server 2019 stability, impacket PR #2017).</summary>
    public const uint NonDomainNcs = 0x00800000;

    /// <summary>DRS_EXT_GETCHGREQ_V8.</summary>
    public const uint GetChgReqV8 = 0x01000000;

    /// <summary>DRS_EXT_GETCHGREPLY_V6.</summary>
    public const uint GetChgReplyV6 = 0x04000000;

    /// <summary>The size of the full structure (dwFlags through dwExtCaps).</summary>
    public const int FullLength = 52;

    /// <summary>
    /// What this client offers: BASE | RESTORE_USN_OPTIMIZATION | LINKED_VALUE_REPLICATION | STRONG_ENCRYPTION |
    /// GETCHGREQ_V6 | NONDOMAIN_NCS | GETCHGREQ_V8 | GETCHGREPLY_V6, dwFlagsExt 0 (so no V9 reply),
    /// dwExtCaps 0xFFFFFFFF (PAM DCs answer 8236 otherwise; impacket commit f618a5f1). No compression bit: the
    /// client has no decompressor, and without the bits a DC never compresses (MS-DRSR 4.1.10.5.20).
    /// </summary>
    public static DrsExtensions Client(uint replEpoch = 0) => new(
        Base | RestoreUsnOptimization | LinkedValueReplication | StrongEncryption | GetChgReqV6 | NonDomainNcs | GetChgReqV8 | GetChgReplyV6,
        Guid.Empty, 0, replEpoch, 0, Guid.Empty, 0xFFFFFFFF, FullLength);

    /// <summary>Writes the structure (the pointee of pextClient): cb, conformance, 52 bytes.</summary>
    /// <param name="writer">The writer.</param>
    public void Write(NdrWriter writer)
    {
        Span<byte> rgb = stackalloc byte[FullLength];
        rgb.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(rgb, Flags);
        SiteObjectGuid.TryWriteBytes(rgb[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(rgb[20..], ProcessId);
        BinaryPrimitives.WriteUInt32LittleEndian(rgb[24..], ReplEpoch);
        BinaryPrimitives.WriteUInt32LittleEndian(rgb[28..], FlagsExt);
        ConfigObjectGuid.TryWriteBytes(rgb[32..]);
        BinaryPrimitives.WriteUInt32LittleEndian(rgb[48..], ExtCaps);
        writer.WriteUInt32(FullLength);
        writer.WriteUInt32(FullLength);
        writer.WriteBytes(rgb);
    }

    /// <summary>Reads the server's structure, padding a short one (24, 28, 32 or 48 bytes) with zeros.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The extensions.</returns>
    public static DrsExtensions Read(ref NdrReader reader)
    {
        const string What = "ppextServer";
        uint length = reader.ReadUInt32(What);
        uint conformance = reader.ReadUInt32(What);
        if (length < 1 || length > 10000 || conformance != length)
        {
            throw reader.Malformed(What, "has a cb outside 1..10000 or one that does not match its array size");
        }

        ReadOnlySpan<byte> bytes = reader.ReadBytes((int)length, What);
        Span<byte> rgb = stackalloc byte[FullLength];
        rgb.Clear();
        bytes[..Math.Min(bytes.Length, FullLength)].CopyTo(rgb);
        return new DrsExtensions(
            BinaryPrimitives.ReadUInt32LittleEndian(rgb),
            new Guid(rgb.Slice(4, 16)),
            BinaryPrimitives.ReadUInt32LittleEndian(rgb[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(rgb[24..]),
            BinaryPrimitives.ReadUInt32LittleEndian(rgb[28..]),
            new Guid(rgb.Slice(32, 16)),
            BinaryPrimitives.ReadUInt32LittleEndian(rgb[48..]),
            (int)length);
    }
}
