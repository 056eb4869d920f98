using System.Globalization;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// The WERROR and EXOP_ERR codes a DRSUAPI client meets (names from MS-ERREF / Samba
/// <c>libcli/util/werror_err_table.txt</c>; EXOP_ERR from the IDL <c>drsuapi_DsExtendedError</c>,
/// MS-DRSR 4.1.10.2.21), with what each usually means for password hash sync (reference-drsr.md §8).
/// </summary>
internal static class DrsErrors
{
    /// <summary>ERROR_DS_DRA_ACCESS_DENIED.</summary>
    public const int AccessDenied = 8453;

    /// <summary>ERROR_DS_DIFFERENT_REPL_EPOCHS.</summary>
    public const int DifferentReplEpochs = 8593;

    /// <summary>EXOP_ERR_SUCCESS.</summary>
    public const uint ExopSuccess = 1;

    /// <summary>EXOP_ERR_ACCESS_DENIED.</summary>
    public const uint ExopAccessDenied = 0xF;

    /// <summary>
    /// Whether a DC's answer to an incremental GetNCChanges (one that carries a stored watermark) means it will not
    /// continue from that watermark: ERROR_INVALID_PARAMETER and ERROR_DS_DRA_INVALID_PARAMETER (the server's checks of
    /// the request's high-water mark and up-to-dateness vector, MS-DRSR 4.1.10.5) and ERROR_DS_DIFFERENT_REPL_EPOCHS
    /// (the domain was renamed, so the old replication state no longer applies). The source then replicates everything
    /// again; if the error was not about the watermark, the full request fails with it and the error is reported.
    /// </summary>
    /// <param name="code">The WERROR value.</param>
    /// <returns>Whether the watermark was refused.</returns>
    public static bool RefusesWatermark(int code) => code is 87 or 8437 or DifferentReplEpochs;

    /// <summary>The symbolic name of a Win32 error.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The name, or <c>WIN32_ERROR_n</c>.</returns>
    public static string NameOf(int code) => code switch
    {
        5 => "ERROR_ACCESS_DENIED",
        6 => "ERROR_INVALID_HANDLE",
        8 => "ERROR_NOT_ENOUGH_MEMORY",
        50 => "ERROR_NOT_SUPPORTED",
        87 => "ERROR_INVALID_PARAMETER",
        1306 => "ERROR_REVISION_MISMATCH",
        1317 => "ERROR_NO_SUCH_USER",
        1355 => "ERROR_NO_SUCH_DOMAIN",
        8236 => "ERROR_DS_UNAVAILABLE_CRIT_EXTENSION",
        8418 => "ERROR_DS_DRA_SCHEMA_MISMATCH",
        8420 => "ERROR_DS_CANT_FIND_EXPECTED_NC",
        8437 => "ERROR_DS_DRA_INVALID_PARAMETER",
        8439 => "ERROR_DS_DRA_BAD_DN",
        8440 => "ERROR_DS_DRA_BAD_NC",
        8442 => "ERROR_DS_DRA_INTERNAL_ERROR",
        8446 => "ERROR_DS_DRA_OUT_OF_MEM",
        8453 => "ERROR_DS_DRA_ACCESS_DENIED",
        8456 => "ERROR_DS_DRA_SOURCE_DISABLED",
        8593 => "ERROR_DS_DIFFERENT_REPL_EPOCHS",
        8594 => "ERROR_DS_DRS_EXTENSIONS_CHANGED",
        8630 => "ERROR_DS_DRA_SECRETS_DENIED",
        _ => string.Create(CultureInfo.InvariantCulture, $"WIN32_ERROR_{code}"),
    };

    /// <summary>What an error usually means here, and the remedy.</summary>
    /// <param name="code">The code.</param>
    /// <returns>One or two sentences for an administrator.</returns>
    public static string Explain(int code) => code switch
    {
        8453 or 5 => "the account lacks the replication rights. Grant it \"Replicating Directory Changes\" " +
            "(DS-Replication-Get-Changes, 1131f6aa-9c07-11d1-f79f-00c04fc2dcd2) and \"Replicating Directory Changes All\" " +
            "(DS-Replication-Get-Changes-All, 1131f6ad-9c07-11d1-f79f-00c04fc2dcd2) on the domain root object; the second right is " +
            "what reveals password hashes. On Samba: samba-tool dsacl set --objectdn=<domain DN> --sddl='(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;<SID>)(OA;;CR;1131f6ad-9c07-11d1-f79f-00c04fc2dcd2;;<SID>)'.",
        87 => "the DC rejected a request parameter (Samba: a partial attribute set whose prefix table lacks the schemaInfo entry).",
        1306 => "the DC does not accept this request version (Samba accepts only GetNCChanges request V8 and V10).",
        8420 or 8440 => "the DC does not hold the requested naming context; check the domain name.",
        8439 => "the DC does not know the requested object; check the account name.",
        8437 => "the request named no naming context.",
        8456 => "the DC does not replicate outbound (a read-only DC, or outbound replication disabled); use a writable DC.",
        8593 => "the DC's replication epoch differs (renamed domain); bind again with the server's epoch.",
        8594 => "the DC's DRS extensions changed; bind again.",
        8236 => "the DC requires newer client capabilities (Privileged Access Management).",
        8630 => "the DC's password replication policy refused to reveal the secrets.",
        6 => "the DRS handle is not valid on this connection; bind again.",
        _ => "see MS-ERREF for the meaning of this code.",
    };

    /// <summary>The name of an EXOP_ERR code.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The name.</returns>
    public static string ExtendedNameOf(uint code) => code switch
    {
        0 => "EXOP_ERR_NONE",
        1 => "EXOP_ERR_SUCCESS",
        2 => "EXOP_ERR_UNKNOWN_OP",
        3 => "EXOP_ERR_FSMO_NOT_OWNER",
        4 => "EXOP_ERR_UPDATE_ERR",
        5 => "EXOP_ERR_EXCEPTION",
        6 => "EXOP_ERR_UNKNOWN_CALLER",
        7 => "EXOP_ERR_RID_ALLOC",
        8 => "EXOP_ERR_FSMO_OWNER_DELETED",
        9 => "EXOP_ERR_FSMO_PENDING_OP",
        0xA => "EXOP_ERR_MISMATCH",
        0xB => "EXOP_ERR_COULDNT_CONTACT",
        0xC => "EXOP_ERR_FSMO_REFUSING_ROLES",
        0xD => "EXOP_ERR_DIR_ERROR",
        0xE => "EXOP_ERR_FSMO_MISSING_SETTINGS",
        0xF => "EXOP_ERR_ACCESS_DENIED",
        0x10 => "EXOP_ERR_PARAM_ERROR",
        _ => string.Create(CultureInfo.InvariantCulture, $"EXOP_ERR_{code}"),
    };
}
