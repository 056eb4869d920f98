using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Directory;

namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// One account replicated from a domain controller, its secrets already decrypted: the <see cref="DirectoryUser"/>
/// the sync engine consumes, plus the NT hash history and the identity fields <c>pwsync replicate</c> prints.
/// </summary>
/// <remarks>
/// The account owns its secret bytes (<see cref="NtHash"/>, <see cref="NtHashHistory"/>,
/// <see cref="SupplementalCredentials"/>, and the same memory in <see cref="User"/>); <see cref="Dispose"/> zeroes
/// them. <see cref="ToString"/> shows identity only.
/// </remarks>
public sealed class ReplicatedAccount : IDisposable
{
    /// <summary>The size of one NT hash.</summary>
    public const int NtHashSize = 16;

    private readonly byte[] _ntHash;
    private readonly byte[] _history;
    private readonly byte[] _supplementalCredentials;
    private bool _disposed;

    internal ReplicatedAccount(DirectoryUser user, byte[] ntHash, byte[] ntHashHistory, byte[] supplementalCredentials)
    {
        User = user;
        _ntHash = ntHash;
        _history = ntHashHistory;
        _supplementalCredentials = supplementalCredentials;
    }

    /// <summary>The account as the sync engine sees it (its NT hash and supplementalCredentials share this account's memory).</summary>
    public DirectoryUser User { get; }

    /// <summary>
    /// Whether the reply carried only some attributes of the object (no sAMAccountName): an incremental change. The
    /// identity fields are then missing; fetch the whole account by <see cref="ObjectGuid"/>.
    /// </summary>
    internal bool IsPartial { get; init; }

    /// <summary>The <c>sAMAccountName</c>.</summary>
    public string? SamAccountName => User.SamAccountName;

    /// <summary>The <c>userPrincipalName</c>, if any.</summary>
    public string? UserPrincipalName => User.UserPrincipalName;

    /// <summary>The <c>objectGUID</c>, if known.</summary>
    public Guid? ObjectGuid => User.ObjectGuid;

    /// <summary>The <c>userAccountControl</c> flags.</summary>
    public UserAccountControl UserAccountControl => User.UserAccountControl;

    /// <summary>The <c>objectSid</c> in <c>S-1-5-21-…</c> form, or <see langword="null"/> when absent or malformed.</summary>
    public string? ObjectSid => FormatSid(User.ObjectSid.Span);

    /// <summary>The 16-byte NT hash, or empty when the DC stores none.</summary>
    /// <exception cref="ObjectDisposedException">The account was disposed.</exception>
    public ReadOnlyMemory<byte> NtHash
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _ntHash;
        }
    }

    /// <summary>The previous NT hashes from <c>ntPwdHistory</c>, newest first (on AD the first is the current hash).</summary>
    /// <exception cref="ObjectDisposedException">The account was disposed.</exception>
    public IReadOnlyList<ReadOnlyMemory<byte>> NtHashHistory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entries = new ReadOnlyMemory<byte>[_history.Length / NtHashSize];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = new ReadOnlyMemory<byte>(_history, i * NtHashSize, NtHashSize);
            }

            return entries;
        }
    }

    /// <summary>The decrypted <c>supplementalCredentials</c> (USER_PROPERTIES), or empty.</summary>
    /// <exception cref="ObjectDisposedException">The account was disposed.</exception>
    public ReadOnlyMemory<byte> SupplementalCredentials
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _supplementalCredentials;
        }
    }

    /// <summary>Zeroes the secret bytes.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_ntHash);
        CryptographicOperations.ZeroMemory(_history);
        CryptographicOperations.ZeroMemory(_supplementalCredentials);
        _disposed = true;
    }

    /// <inheritdoc />
    /// <remarks>Identity only; never a secret.</remarks>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"ReplicatedAccount {{ {SamAccountName ?? User.DistinguishedName}, {ObjectSid ?? "no SID"}, NT hash {(_ntHash.Length == 0 ? "absent" : "present")}, history {_history.Length / NtHashSize} }}");

    /// <summary>Formats a binary SID as text (MS-DTYP 2.4.2.1), or <see langword="null"/> when malformed.</summary>
    internal static string? FormatSid(ReadOnlySpan<byte> sid)
    {
        if (sid.Length < 8 || sid[0] != 1 || sid.Length != 8 + (4 * sid[1]))
        {
            return null;
        }

        ulong authority = 0;
        for (int i = 2; i < 8; i++)
        {
            authority = (authority << 8) | sid[i];
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"S-1-{authority}");
        for (int i = 0; i < sid[1]; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"-{System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(sid.Slice(8 + (4 * i), 4))}");
        }

        return text.ToString();
    }
}
