using System.Buffers.Binary;

namespace PasswordHashSync.Replication.Kerberos.Gss;

/// <summary>
/// The authenticator checksum of a GSS-API Kerberos AP-REQ, type 0x8003 (RFC 4121 4.1.1): Lgth = 16, Bnd (channel
/// bindings; zero, none are used), Flags. DCE style adds GSS_C_DCE_STYLE (MS-KILE 3.2.5.2, 3.4.5.1).
/// </summary>
internal static class GssChecksum
{
    /// <summary>The checksum type.</summary>
    public const int Type = 0x8003;

    /// <summary>GSS_C_MUTUAL_FLAG.</summary>
    public const uint Mutual = 0x02;

    /// <summary>GSS_C_REPLAY_FLAG.</summary>
    public const uint Replay = 0x04;

    /// <summary>GSS_C_SEQUENCE_FLAG.</summary>
    public const uint Sequence = 0x08;

    /// <summary>GSS_C_CONF_FLAG.</summary>
    public const uint Confidentiality = 0x10;

    /// <summary>GSS_C_INTEG_FLAG.</summary>
    public const uint Integrity = 0x20;

    /// <summary>GSS_C_DCE_STYLE.</summary>
    public const uint DceStyle = 0x1000;

    /// <summary>The flags a DRSUAPI client at packet privacy asks for.</summary>
    public const uint DcePrivacyFlags = DceStyle | Integrity | Confidentiality | Sequence | Replay | Mutual;

    /// <summary>The 24-byte checksum value.</summary>
    public static byte[] Encode(uint flags)
    {
        byte[] value = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(value, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(20), flags);
        return value;
    }
}
