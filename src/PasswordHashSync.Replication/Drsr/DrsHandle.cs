using PasswordHashSync.Replication.Drsr.Ndr;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// DRS_HANDLE (MS-DRSR 5.44; IDL <c>policy_handle</c>): a 20-byte context handle, valid only on the connection
/// whose IDL_DRSBind created it.
/// </summary>
/// <param name="Attributes">handle_type.</param>
/// <param name="Uuid">The handle's GUID.</param>
internal readonly record struct DrsHandle(uint Attributes, Guid Uuid)
{
    /// <summary>Whether this is the all-zero handle (none, or one that Unbind closed).</summary>
    public bool IsEmpty => Attributes == 0 && Uuid == Guid.Empty;

    /// <summary>Writes the handle.</summary>
    /// <param name="writer">The writer.</param>
    public void Write(NdrWriter writer)
    {
        writer.WriteUInt32(Attributes);
        writer.WriteGuid(Uuid);
    }

    /// <summary>Reads a handle.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The handle.</returns>
    public static DrsHandle Read(ref NdrReader reader) => new(reader.ReadUInt32("DRS_HANDLE"), reader.ReadGuid("DRS_HANDLE"));
}
