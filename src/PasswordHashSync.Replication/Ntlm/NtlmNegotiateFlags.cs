namespace PasswordHashSync.Replication.Ntlm;

/// <summary>The NTLMSSP NegotiateFlags this client uses (MS-NLMP 2.2.2.5).</summary>
[Flags]
internal enum NtlmNegotiateFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>NTLMSSP_NEGOTIATE_UNICODE (A): strings are UTF-16LE.</summary>
    Unicode = 0x00000001,

    /// <summary>NTLM_NEGOTIATE_OEM (B).</summary>
    Oem = 0x00000002,

    /// <summary>NTLMSSP_REQUEST_TARGET (C): the server returns its target name.</summary>
    RequestTarget = 0x00000004,

    /// <summary>NTLMSSP_NEGOTIATE_SIGN (D): message integrity.</summary>
    Sign = 0x00000010,

    /// <summary>NTLMSSP_NEGOTIATE_SEAL (E): message confidentiality.</summary>
    Seal = 0x00000020,

    /// <summary>NTLMSSP_NEGOTIATE_NTLM (H).</summary>
    Ntlm = 0x00000200,

    /// <summary>NTLMSSP_NEGOTIATE_ALWAYS_SIGN (M).</summary>
    AlwaysSign = 0x00008000,

    /// <summary>NTLMSSP_TARGET_TYPE_DOMAIN (N), set by the server.</summary>
    TargetTypeDomain = 0x00010000,

    /// <summary>NTLMSSP_TARGET_TYPE_SERVER (O), set by the server.</summary>
    TargetTypeServer = 0x00020000,

    /// <summary>NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY (P): the NTLMv2 session security of MS-NLMP 3.4.</summary>
    ExtendedSessionSecurity = 0x00080000,

    /// <summary>NTLMSSP_NEGOTIATE_TARGET_INFO (S): the CHALLENGE carries TargetInfo (AV pairs).</summary>
    TargetInfo = 0x00800000,

    /// <summary>NTLMSSP_NEGOTIATE_VERSION (T): the messages carry an 8-byte Version.</summary>
    Version = 0x02000000,

    /// <summary>NTLMSSP_NEGOTIATE_128 (U): 128-bit sealing keys.</summary>
    Key128 = 0x20000000,

    /// <summary>NTLMSSP_NEGOTIATE_KEY_EXCH (V): the client picks a random ExportedSessionKey.</summary>
    KeyExchange = 0x40000000,

    /// <summary>NTLMSSP_NEGOTIATE_56 (W): 56-bit sealing keys when 128 is not negotiated.</summary>
    Key56 = 0x80000000,

    /// <summary>
    /// What this client asks for: impacket's set for packet privacy (0xE0888235, which works against Samba) plus
    /// VERSION as dotnet/runtime's managed NTLM sends it, so that the AUTHENTICATE's MIC sits at offset 72 after the Version.
    /// </summary>
    ClientRequested = Unicode | RequestTarget | Sign | Seal | Ntlm | AlwaysSign | ExtendedSessionSecurity | TargetInfo
        | Version | Key128 | KeyExchange | Key56,
}
