using System.Runtime.CompilerServices;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests;

/// <summary>A clock the test moves by hand (Microsoft.Extensions.TimeProvider.Testing is not an allowed package).</summary>
internal sealed class SyncManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Builds directory users; NT hashes come from BouncyCastle's MD4, independent of the library's.</summary>
internal static class SyncUsers
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public static byte[] ReferenceNtHash(string password)
    {
        var md4 = new MD4Digest();
        byte[] input = Encoding.Unicode.GetBytes(password);
        md4.BlockUpdate(input, 0, input.Length);
        byte[] output = new byte[16];
        md4.DoFinal(output, 0);
        return output;
    }

    public static Guid GuidFor(string name) => new(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));

    public static DirectoryUser User(
        string name,
        string? password = "Pa$$w0rd",
        DateTimeOffset? changed = null,
        bool mustChange = false,
        UserAccountControl uac = UserAccountControl.NormalAccount,
        string? adminDescription = null,
        string[]? classes = null,
        bool withKerberos = true) => new()
        {
            DistinguishedName = $"CN={name},CN=Users,DC=contoso,DC=com",
            SamAccountName = name,
            ObjectGuid = GuidFor(name),
            ObjectClasses = classes ?? ["top", "person", "organizationalPerson", "user"],
            UserAccountControl = uac,
            NtHash = password is null ? ReadOnlyMemory<byte>.Empty : ReferenceNtHash(password),
            SupplementalCredentials = password is null || !withKerberos ? ReadOnlyMemory<byte>.Empty : SyncFakeKerberosKeyExtractor.Blob(password, name),
            PwdLastSet = mustChange ? 0 : (changed ?? T0).ToFileTime(),
            PasswordLastChanged = changed ?? T0,
            AdminDescription = adminDescription,
        };
}

/// <summary>
/// Test seam for <see cref="IKerberosKeyExtractor"/>: the real supplementalCredentials parser is another component.
/// The fake's "blob" is a marker holding password and account name; it derives the AES keys with
/// <see cref="KerberosKeyDerivation"/> as a DC would have stored them.
/// </summary>
internal sealed class SyncFakeKerberosKeyExtractor : IKerberosKeyExtractor
{
    private const string Prefix = "FAKE-SUPPLEMENTAL|";

    public int Calls { get; private set; }

    public static byte[] Blob(string password, string account) => Encoding.UTF8.GetBytes(Prefix + password + "|" + account);

    public IReadOnlyList<KerberosKey> ExtractCurrentKeys(ReadOnlyMemory<byte> supplementalCredentials)
    {
        Calls++;
        string text = Encoding.UTF8.GetString(supplementalCredentials.Span);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return [];
        }

        string[] parts = text[Prefix.Length..].Split('|');
        byte[] salt = KerberosSalt.ForUser("CONTOSO.COM", parts[1]);
        return KerberosKeyDerivation.DeriveKeys(parts[0], salt, [KerberosEncryptionType.Aes256CtsHmacSha196, KerberosEncryptionType.Aes128CtsHmacSha196]);
    }
}

/// <summary>Deterministic randomness: a counter, so salts and random NT hashes are reproducible.</summary>
internal sealed class SyncCountingRandomSource : ISyncRandomSource
{
    private byte _next = 1;

    public void Fill(Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _next++;
        }
    }
}

/// <summary>
/// An in-memory directory with a change log; the watermark is the log position. Thread-safe: the runner enumerates a
/// full sync on its own task while a test's exporter may change the directory.
/// </summary>
internal sealed class SyncMemoryDirectory : IDirectoryChangeSource
{
    private readonly Lock _gate = new();
    private readonly List<DirectoryUser> _log = [];
    private readonly Dictionary<string, DirectoryUser> _current = new(StringComparer.Ordinal);

    public int GetChangesCalls { get; private set; }

    public bool Unreachable { get; set; }

    public void Put(DirectoryUser user)
    {
        lock (_gate)
        {
            _log.Add(user);
            _current[SyncPlanner.GetSourceAnchor(user)] = user;
        }
    }

    public ValueTask<DirectoryChangeSet> GetChangesAsync(string? watermark, CancellationToken cancellationToken)
    {
        if (Unreachable)
        {
            throw new IOException("The domain controller is unreachable.");
        }

        lock (_gate)
        {
            GetChangesCalls++;
            int from = watermark is null ? 0 : int.Parse(watermark, System.Globalization.CultureInfo.InvariantCulture);
            return ValueTask.FromResult(new DirectoryChangeSet(_log.Skip(from).ToList(), _log.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public ValueTask<string?> GetCurrentWatermarkAsync(CancellationToken cancellationToken)
    {
        if (Unreachable)
        {
            throw new IOException("The domain controller is unreachable.");
        }

        lock (_gate)
        {
            return ValueTask.FromResult<string?>(_log.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public ValueTask<DirectoryUser?> GetUserAsync(string sourceAnchor, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_current.GetValueOrDefault(sourceAnchor));
        }
    }

    public async IAsyncEnumerable<DirectoryUser> GetAllUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<DirectoryUser> snapshot;
        lock (_gate)
        {
            snapshot = [.. _current.Values];
        }

        foreach (DirectoryUser user in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return user;
        }
    }
}
