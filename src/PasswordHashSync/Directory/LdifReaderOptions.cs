namespace PasswordHashSync.Directory;

/// <summary>
/// The limits <see cref="LdifDirectoryReader"/> enforces on an export before it spends the memory: each is checked
/// while the input is read, so a hostile file (one 1 GB line, a million values) ends with
/// <see cref="LdifFormatException"/> after at most the limit's worth of memory, never an <see cref="OutOfMemoryException"/>.
/// </summary>
/// <remarks>
/// <para>The defaults are far above what an Active Directory export holds (the largest values are photos of at most
/// 100 KB, <c>thumbnailPhoto</c>'s rangeUpper, and certificates; a user has a few hundred attributes) and keep the
/// worst case to a few hundred MB. Raise them for unusual exports, for example one with very large groups
/// (<see cref="MaxValuesPerAttribute"/>); every setter refuses a value below 1.</para>
/// <para>The instance is read when enumeration starts; changing it afterwards does not affect a running read.</para>
/// </remarks>
public sealed class LdifReaderOptions
{
    /// <summary>The default of <see cref="MaxLineLength"/>: 32 Mi characters (33,554,432).</summary>
    public const int DefaultMaxLineLength = 32 << 20;

    /// <summary>The default of <see cref="MaxValueSize"/>: 16 MiB (16,777,216 bytes).</summary>
    public const int DefaultMaxValueSize = 16 << 20;

    /// <summary>The default of <see cref="MaxRecordSize"/>: 128 MiB (134,217,728 bytes).</summary>
    public const long DefaultMaxRecordSize = 128L << 20;

    /// <summary>The default of <see cref="MaxValuesPerAttribute"/>: 1,048,576.</summary>
    public const int DefaultMaxValuesPerAttribute = 1 << 20;

    /// <summary>The default of <see cref="MaxAttributesPerRecord"/>: 16,384.</summary>
    public const int DefaultMaxAttributesPerRecord = 1 << 14;

    /// <summary>What a record is charged per value on top of its bytes, for the bookkeeping each value costs.</summary>
    public const int PerValueOverhead = 32;

    /// <summary>The shared default instance; treat it as read-only.</summary>
    internal static LdifReaderOptions Default { get; } = new();

    /// <summary>
    /// The longest line, in UTF-16 characters, after folded continuation lines are joined (RFC 2849 section 2);
    /// it also bounds each physical line. A base64 value of <see cref="MaxValueSize"/> bytes needs 4/3 of that.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxLineLength
    {
        get;
        set => field = Positive(value);
    } = DefaultMaxLineLength;

    /// <summary>The largest value of one attribute (the DN included), in bytes after base64 decoding (text values: their UTF-8 bytes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxValueSize
    {
        get;
        set => field = Positive(value);
    } = DefaultMaxValueSize;

    /// <summary>
    /// The most one record (one object) may hold: the bytes of all its values plus <see cref="PerValueOverhead"/> per value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public long MaxRecordSize
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "An LDIF limit must be at least 1.");
    } = DefaultMaxRecordSize;

    /// <summary>The most values one attribute of one record may have (for example <c>member</c> of a group).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxValuesPerAttribute
    {
        get;
        set => field = Positive(value);
    } = DefaultMaxValuesPerAttribute;

    /// <summary>The most distinct attribute names (options such as <c>;binary</c> stripped) one record may have.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxAttributesPerRecord
    {
        get;
        set => field = Positive(value);
    } = DefaultMaxAttributesPerRecord;

    /// <summary>A copy, so a read in progress is not affected by later changes to the caller's instance.</summary>
    internal LdifReaderOptions Snapshot() => new()
    {
        MaxLineLength = MaxLineLength,
        MaxValueSize = MaxValueSize,
        MaxRecordSize = MaxRecordSize,
        MaxValuesPerAttribute = MaxValuesPerAttribute,
        MaxAttributesPerRecord = MaxAttributesPerRecord,
    };

    private static int Positive(int value) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "An LDIF limit must be at least 1.");
}
