using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace PasswordHashSync.Digest;

/// <summary>
/// The salted digest Entra Connect sends to the cloud for a synchronized password:
/// PBKDF2-HMAC-SHA256 over UTF-16LE(UPPERCASE hex of the NT hash), a per-user salt (10 random bytes),
/// 1000 iterations, 32 bytes, carried as <c>v1;PPH1_MD4,&lt;salt hex&gt;,&lt;iterations&gt;,&lt;hash hex&gt;;</c>.
/// </summary>
/// <remarks>
/// Instances are immutable. <see cref="ToString"/> hides the hash; use <see cref="ToWireString"/> for the wire form.
/// Older Connect versions used 100 iterations; every digest carries its own count.
/// </remarks>
public sealed class SaltedDigest : IEquatable<SaltedDigest>
{
    /// <summary>The iteration count Entra Connect uses today: 1000.</summary>
    public const int DefaultIterationCount = 1000;

    /// <summary>The size of a generated salt: 10 bytes.</summary>
    public const int SaltSize = 10;

    /// <summary>The largest salt accepted (from wire strings or callers): 64 bytes.</summary>
    public const int MaxSaltSize = SaltedDigestWireFormat.MaxSaltSize;

    /// <summary>The size of the PBKDF2 output: 32 bytes.</summary>
    public const int HashSize = 32;

    /// <summary>The prefix of every wire string: <c>v1;PPH1_MD4,</c>.</summary>
    public const string WirePrefix = SaltedDigestWireFormat.Prefix;

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    /// <summary>Creates a digest from its parts (copied).</summary>
    /// <param name="salt">The salt, 1 to 64 bytes.</param>
    /// <param name="iterationCount">The PBKDF2 iteration count, positive.</param>
    /// <param name="hash">The 32-byte PBKDF2 output.</param>
    /// <exception cref="ArgumentException">The salt or hash length is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is zero or negative.</exception>
    public SaltedDigest(ReadOnlySpan<byte> salt, int iterationCount, ReadOnlySpan<byte> hash)
    {
        ValidateSalt(salt, nameof(salt));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterationCount);
        if (hash.Length != HashSize)
        {
            throw new ArgumentException($"The hash must be {HashSize} bytes, not {hash.Length}.", nameof(hash));
        }

        _salt = salt.ToArray();
        _hash = hash.ToArray();
        IterationCount = iterationCount;
    }

    // A digest whose hash the batch engine fills in later (SyncDigestBlock); never handed out before it is filled.
    private SaltedDigest(byte[] salt, int iterationCount)
    {
        _salt = salt;
        _hash = new byte[HashSize];
        IterationCount = iterationCount;
    }

    /// <summary>The salt.</summary>
    public ReadOnlyMemory<byte> Salt => _salt;

    /// <summary>The PBKDF2 iteration count.</summary>
    public int IterationCount { get; }

    /// <summary>The 32-byte PBKDF2 output.</summary>
    public ReadOnlyMemory<byte> Hash => _hash;

    /// <summary>The length of <see cref="ToWireString"/>.</summary>
    public int WireStringLength => SaltedDigestWireFormat.GetLength(_salt.Length, IterationCount);

    /// <summary>
    /// Computes the 32-byte digest hash of an NT hash: PBKDF2-HMAC-SHA256(UTF-16LE(UPPER hex(NT)), salt, iterations).
    /// </summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <param name="salt">The salt, 1 to 64 bytes (generated salts are 10).</param>
    /// <param name="iterationCount">The iteration count, positive.</param>
    /// <param name="destination">Receives 32 bytes.</param>
    /// <returns>The number of bytes written (32).</returns>
    /// <exception cref="ArgumentException">Wrong NT hash, salt or destination length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is zero or negative.</exception>
    public static int ComputeHash(ReadOnlySpan<byte> ntHash, ReadOnlySpan<byte> salt, int iterationCount, Span<byte> destination)
    {
        if (!TryComputeHash(ntHash, salt, iterationCount, destination, out int written))
        {
            throw new ArgumentException($"The destination must hold at least {HashSize} bytes.", nameof(destination));
        }

        return written;
    }

    /// <summary>Tries to compute the digest hash of an NT hash.</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <param name="salt">The salt, 1 to 64 bytes.</param>
    /// <param name="iterationCount">The iteration count, positive.</param>
    /// <param name="destination">Receives 32 bytes.</param>
    /// <param name="bytesWritten">32 on success, otherwise 0.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentException">Wrong NT hash or salt length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is zero or negative.</exception>
    public static bool TryComputeHash(ReadOnlySpan<byte> ntHash, ReadOnlySpan<byte> salt, int iterationCount, Span<byte> destination, out int bytesWritten)
    {
        ValidateNtHash(ntHash, nameof(ntHash));
        ValidateSalt(salt, nameof(salt));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterationCount);
        if (destination.Length < HashSize)
        {
            bytesWritten = 0;
            return false;
        }

        ComputeHashCore(ntHash, salt, iterationCount, destination[..HashSize]);
        bytesWritten = HashSize;
        return true;
    }

    /// <summary>Computes the digest of a password with a fresh random 10-byte salt and 1000 iterations.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The digest.</returns>
    public static SaltedDigest FromPassword(ReadOnlySpan<char> password) => FromPassword(password, DefaultIterationCount);

    /// <summary>Computes the digest of a password with a fresh random 10-byte salt and 1000 iterations.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is <see langword="null"/>.</exception>
    public static SaltedDigest FromPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return FromPassword(password.AsSpan(), DefaultIterationCount);
    }

    /// <summary>Computes the digest of a password with a fresh random 10-byte salt.</summary>
    /// <param name="password">The password.</param>
    /// <param name="iterationCount">The iteration count.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is zero or negative.</exception>
    public static SaltedDigest FromPassword(ReadOnlySpan<char> password, int iterationCount)
    {
        Span<byte> salt = stackalloc byte[SaltSize];
        RandomNumberGenerator.Fill(salt);
        return FromPassword(password, salt, iterationCount);
    }

    /// <summary>Computes the digest of a password with the given salt.</summary>
    /// <param name="password">The password.</param>
    /// <param name="salt">The salt, 1 to 64 bytes.</param>
    /// <param name="iterationCount">The iteration count.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentException">Wrong salt length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is zero or negative.</exception>
    public static SaltedDigest FromPassword(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt, int iterationCount)
    {
        Span<byte> ntHash = stackalloc byte[NtHash.SizeInBytes];
        try
        {
            NtHash.Compute(password, ntHash);
            return FromNtHash(ntHash, salt, iterationCount);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ntHash);
        }
    }

    /// <summary>Computes the digest of an NT hash with a fresh random 10-byte salt and 1000 iterations.</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentException">The NT hash is not 16 bytes.</exception>
    public static SaltedDigest FromNtHash(ReadOnlySpan<byte> ntHash) => FromNtHash(ntHash, DefaultIterationCount);

    /// <summary>Computes the digest of an NT hash with a fresh random 10-byte salt.</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <param name="iterationCount">The iteration count.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentException">The NT hash is not 16 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is zero or negative.</exception>
    public static SaltedDigest FromNtHash(ReadOnlySpan<byte> ntHash, int iterationCount)
    {
        Span<byte> salt = stackalloc byte[SaltSize];
        RandomNumberGenerator.Fill(salt);
        return FromNtHash(ntHash, salt, iterationCount);
    }

    /// <summary>Computes the digest of an NT hash with the given salt.</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <param name="salt">The salt, 1 to 64 bytes.</param>
    /// <param name="iterationCount">The iteration count.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentException">Wrong NT hash or salt length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The iteration count is zero or negative.</exception>
    public static SaltedDigest FromNtHash(ReadOnlySpan<byte> ntHash, ReadOnlySpan<byte> salt, int iterationCount)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        ComputeHash(ntHash, salt, iterationCount, hash);
        return new SaltedDigest(salt, iterationCount, hash);
    }

    /// <summary>Parses a wire string strictly.</summary>
    /// <param name="wireString">The string, for example <c>v1;PPH1_MD4,181a...,1000,b395...;</c>.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="wireString"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The string breaks the format; the message names the rule.</exception>
    public static SaltedDigest Parse(string wireString)
    {
        ArgumentNullException.ThrowIfNull(wireString);
        return Parse(wireString.AsSpan());
    }

    /// <summary>Parses a wire string strictly.</summary>
    /// <param name="wireString">The string.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="FormatException">The string breaks the format; the message names the rule.</exception>
    public static SaltedDigest Parse(ReadOnlySpan<char> wireString) =>
        TryParse(wireString, out SaltedDigest? digest, out string? error) ? digest : throw new FormatException(error);

    /// <summary>Tries to parse a wire string.</summary>
    /// <param name="wireString">The string.</param>
    /// <param name="digest">The digest on success.</param>
    /// <returns><see langword="false"/> when the string is malformed.</returns>
    public static bool TryParse(ReadOnlySpan<char> wireString, [NotNullWhen(true)] out SaltedDigest? digest) =>
        TryParse(wireString, out digest, out _);

    /// <summary>Tries to parse a wire string and says why it failed.</summary>
    /// <param name="wireString">The string.</param>
    /// <param name="digest">The digest on success.</param>
    /// <param name="error">On failure, the rule that was broken (never echoes the input).</param>
    /// <returns><see langword="false"/> when the string is malformed.</returns>
    public static bool TryParse(ReadOnlySpan<char> wireString, [NotNullWhen(true)] out SaltedDigest? digest, [NotNullWhen(false)] out string? error)
    {
        Span<byte> salt = stackalloc byte[MaxSaltSize];
        Span<byte> hash = stackalloc byte[HashSize];
        if (!SaltedDigestWireFormat.TryParse(wireString, salt, out int saltLength, out int iterations, hash, out error))
        {
            digest = null;
            return false;
        }

        digest = new SaltedDigest(salt[..saltLength], iterations, hash);
        return true;
    }

    /// <summary>Formats the wire string into <paramref name="destination"/>.</summary>
    /// <param name="destination">Receives the characters.</param>
    /// <param name="charsWritten">The number written, or 0 when it does not fit.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten) =>
        SaltedDigestWireFormat.TryFormat(_salt, IterationCount, _hash, destination, out charsWritten);

    /// <summary>The wire string: <c>v1;PPH1_MD4,&lt;salt lowercase hex&gt;,&lt;iterations&gt;,&lt;hash lowercase hex&gt;;</c>.</summary>
    /// <returns>The string.</returns>
    public string ToWireString() => string.Create(WireStringLength, this, static (span, digest) => digest.TryFormat(span, out _));

    /// <summary>Checks an NT hash against this digest in constant time.</summary>
    /// <param name="ntHash">The 16-byte NT hash.</param>
    /// <returns><see langword="true"/> on a match.</returns>
    /// <remarks>
    /// This runs <see cref="IterationCount"/> PBKDF2 rounds, whatever their number: a digest parsed from an untrusted
    /// string may ask for 2^31 - 1 of them. Check untrusted wire strings with <see cref="SaltedDigestVerifier"/>,
    /// which refuses counts above its limit before any work.
    /// </remarks>
    /// <exception cref="ArgumentException">The NT hash is not 16 bytes.</exception>
    public bool MatchesNtHash(ReadOnlySpan<byte> ntHash)
    {
        // The salt and count were validated when this instance was made; only the NT hash needs checking here.
        ValidateNtHash(ntHash, nameof(ntHash));
        Span<byte> computed = stackalloc byte[HashSize];
        ComputeHashCore(ntHash, _salt, IterationCount, computed);
        bool equal = CryptographicOperations.FixedTimeEquals(computed, _hash);
        CryptographicOperations.ZeroMemory(computed);
        return equal;
    }

    /// <summary>Checks a password against this digest in constant time.</summary>
    /// <param name="password">The password.</param>
    /// <returns><see langword="true"/> on a match.</returns>
    /// <remarks>As for <see cref="MatchesNtHash"/>, the cost is <see cref="IterationCount"/> PBKDF2 rounds, unbounded here.</remarks>
    public bool MatchesPassword(ReadOnlySpan<char> password)
    {
        Span<byte> ntHash = stackalloc byte[NtHash.SizeInBytes];
        NtHash.Compute(password, ntHash);
        bool equal = MatchesNtHash(ntHash);
        CryptographicOperations.ZeroMemory(ntHash);
        return equal;
    }

    /// <inheritdoc />
    /// <remarks>Compares the hash in constant time.</remarks>
    public bool Equals(SaltedDigest? other) =>
        other is not null &&
        IterationCount == other.IterationCount &&
        _salt.AsSpan().SequenceEqual(other._salt) &&
        CryptographicOperations.FixedTimeEquals(_hash, other._hash);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SaltedDigest);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_salt);
        hash.Add(IterationCount);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    /// <remarks>Shows the salt and iteration count; the hash is redacted. Use <see cref="ToWireString"/> for the wire form.</remarks>
    public override string ToString() => $"{WirePrefix}{Convert.ToHexStringLower(_salt)},{IterationCount},<redacted>;";

    /// <summary>A digest with its salt and count and a zero hash, to be filled by <see cref="FillPendingHash"/> (the block planner).</summary>
    internal static SaltedDigest CreatePending(ReadOnlySpan<byte> salt, int iterationCount)
    {
        ValidateSalt(salt, nameof(salt));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterationCount);
        return new SaltedDigest(salt.ToArray(), iterationCount);
    }

    /// <summary>Writes the hash of a digest made by <see cref="CreatePending"/>, before anyone else sees it.</summary>
    internal void FillPendingHash(ReadOnlySpan<byte> hash) => hash.CopyTo(_hash);

    internal static void ComputeHashCore(ReadOnlySpan<byte> ntHash, ReadOnlySpan<byte> salt, int iterationCount, Span<byte> destination)
    {
        // The PBKDF2 password is the NT hash as 32 UPPERCASE hex characters, encoded UTF-16LE (64 bytes).
        Span<byte> input = stackalloc byte[4 * NtHash.SizeInBytes];
        WriteUtf16UpperHex(ntHash, input);
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(input, salt, destination, iterationCount, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    // Shared with the batch engine (SaltedDigestKernel), which must build the identical PBKDF2 input.
    internal static void WriteUtf16UpperHex(ReadOnlySpan<byte> ntHash, Span<byte> destination)
    {
        const string Digits = "0123456789ABCDEF";
        for (int i = 0; i < NtHash.SizeInBytes; i++)
        {
            destination[4 * i] = (byte)Digits[ntHash[i] >> 4];
            destination[(4 * i) + 1] = 0;
            destination[(4 * i) + 2] = (byte)Digits[ntHash[i] & 0xf];
            destination[(4 * i) + 3] = 0;
        }
    }

    internal static void ValidateNtHash(ReadOnlySpan<byte> ntHash, string parameterName)
    {
        if (ntHash.Length != NtHash.SizeInBytes)
        {
            throw new ArgumentException($"An NT hash must be {NtHash.SizeInBytes} bytes, not {ntHash.Length}.", parameterName);
        }
    }

    private static void ValidateSalt(ReadOnlySpan<byte> salt, string parameterName)
    {
        if (salt.IsEmpty || salt.Length > MaxSaltSize)
        {
            throw new ArgumentException($"The salt must be 1 to {MaxSaltSize} bytes (generated salts are {SaltSize}), not {salt.Length}.", parameterName);
        }
    }
}
