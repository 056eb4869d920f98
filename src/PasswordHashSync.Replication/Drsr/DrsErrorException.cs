using System.Globalization;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// The domain controller refused a DRSUAPI call: the method returned a WERROR other than WERR_OK, or an extended
/// operation ended with an EXOP_ERR code (MS-DRSR 4.1.10.2.21). <see cref="Win32Error"/> and <see cref="ErrorName"/>
/// identify the error; the message says what it usually means and what to do.
/// </summary>
public class DrsErrorException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public DrsErrorException()
    {
        ErrorName = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public DrsErrorException(string message)
        : base(message)
    {
        ErrorName = string.Empty;
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public DrsErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorName = string.Empty;
    }

    /// <summary>Creates the exception for a Win32 error returned by a DRSUAPI method.</summary>
    /// <param name="operation">The method, for example <c>IDL_DRSGetNCChanges</c>.</param>
    /// <param name="win32Error">The WERROR value.</param>
    /// <param name="extendedError">The reply's EXOP_ERR code, or 0.</param>
    public DrsErrorException(string operation, int win32Error, uint extendedError = 0)
        : base(Describe(operation, win32Error, extendedError))
    {
        Win32Error = win32Error;
        ErrorName = DrsErrors.NameOf(win32Error);
        ExtendedError = extendedError;
    }

    /// <summary>Creates the exception for a Win32 error, with the parse failure that hid the reply.</summary>
    /// <param name="operation">The method.</param>
    /// <param name="win32Error">The WERROR value.</param>
    /// <param name="innerException">The underlying error.</param>
    internal DrsErrorException(string operation, int win32Error, Exception innerException)
        : base(Describe(operation, win32Error, 0), innerException)
    {
        Win32Error = win32Error;
        ErrorName = DrsErrors.NameOf(win32Error);
    }

    /// <summary>The Win32 error code (for example 8453), or 0 when only <see cref="ExtendedError"/> failed.</summary>
    public int Win32Error { get; }

    /// <summary>The symbolic name of <see cref="Win32Error"/> (for example <c>ERROR_DS_DRA_ACCESS_DENIED</c>).</summary>
    public string ErrorName { get; }

    /// <summary>The EXOP_ERR code of an extended operation (MS-DRSR 4.1.10.2.21), or 0.</summary>
    public uint ExtendedError { get; }

    /// <summary>Whether the DC refused for lack of replication rights (8453 or EXOP_ERR_ACCESS_DENIED).</summary>
    public bool IsAccessDenied => Win32Error == DrsErrors.AccessDenied || ExtendedError == DrsErrors.ExopAccessDenied;

    private static string Describe(string operation, int win32Error, uint extendedError)
    {
        string text = win32Error != 0
            ? string.Create(CultureInfo.InvariantCulture, $"{operation} failed with {DrsErrors.NameOf(win32Error)} ({win32Error}, 0x{win32Error:X}): {DrsErrors.Explain(win32Error)}")
            : string.Create(CultureInfo.InvariantCulture, $"{operation} returned no Win32 error but the extended operation failed");
        if (extendedError > DrsErrors.ExopSuccess)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" Extended result {DrsErrors.ExtendedNameOf(extendedError)} ({extendedError}).");
        }

        return text;
    }
}
