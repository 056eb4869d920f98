using System.Globalization;
using PasswordHashSync.Directory;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The LDIF reader limits an administrator may set: section <c>ldif</c> of the sync settings file and
/// <c>Agent:Source:Ldif</c> of the agent's configuration. Each is one <see cref="LdifReaderOptions"/> property of the
/// same name; an unset one keeps the library's default (docs/hostile-input.md).
/// </summary>
/// <remarks>
/// A limit must be at least 1 and at most what .NET can hold (a string of <see cref="MaxStringLength"/> characters,
/// an array of <see cref="Array.MaxLength"/> elements; <see cref="MaxRecordSizeCeiling"/> for a record): a larger value
/// cannot be reached, so it would switch the protection off rather than raise it. The values are <see cref="long"/>
/// so that an absurd number is reported with its setting's name instead of as a JSON conversion error.
/// </remarks>
internal sealed class LdifLimitSettings
{
    /// <summary>The longest string .NET can allocate (characters): the ceiling of <see cref="MaxLineLength"/>.</summary>
    public const long MaxStringLength = 0x3FFFFFDF;

    /// <summary>The ceiling of <see cref="MaxRecordSize"/>: 1 TiB, more memory than one record may sensibly take.</summary>
    public const long MaxRecordSizeCeiling = 1L << 40;

    /// <summary><see cref="LdifReaderOptions.MaxLineLength"/>, or <see langword="null"/> for its default.</summary>
    public long? MaxLineLength { get; set; }

    /// <summary><see cref="LdifReaderOptions.MaxValueSize"/>, or <see langword="null"/> for its default.</summary>
    public long? MaxValueSize { get; set; }

    /// <summary><see cref="LdifReaderOptions.MaxRecordSize"/>, or <see langword="null"/> for its default.</summary>
    public long? MaxRecordSize { get; set; }

    /// <summary><see cref="LdifReaderOptions.MaxValuesPerAttribute"/>, or <see langword="null"/> for its default.</summary>
    public long? MaxValuesPerAttribute { get; set; }

    /// <summary><see cref="LdifReaderOptions.MaxAttributesPerRecord"/>, or <see langword="null"/> for its default.</summary>
    public long? MaxAttributesPerRecord { get; set; }

    /// <summary>Checks every limit that is set.</summary>
    /// <param name="prefix">How the section is named in messages, for example <c>ldif.</c> or <c>Agent:Source:Ldif:</c>.</param>
    /// <param name="camelCase">Whether the names are written camelCase (the settings file) or PascalCase (the agent).</param>
    /// <returns>One line per invalid limit; empty when all are valid.</returns>
    public List<string> Validate(string prefix, bool camelCase)
    {
        var problems = new List<string>();
        Check(nameof(MaxLineLength), MaxLineLength, MaxStringLength, LdifReaderOptions.DefaultMaxLineLength);
        Check(nameof(MaxValueSize), MaxValueSize, Array.MaxLength, LdifReaderOptions.DefaultMaxValueSize);
        Check(nameof(MaxRecordSize), MaxRecordSize, MaxRecordSizeCeiling, LdifReaderOptions.DefaultMaxRecordSize);
        Check(nameof(MaxValuesPerAttribute), MaxValuesPerAttribute, Array.MaxLength, LdifReaderOptions.DefaultMaxValuesPerAttribute);
        Check(nameof(MaxAttributesPerRecord), MaxAttributesPerRecord, Array.MaxLength, LdifReaderOptions.DefaultMaxAttributesPerRecord);
        return problems;

        void Check(string name, long? value, long ceiling, long @default)
        {
            if (value is long v && (v < 1 || v > ceiling))
            {
                string shown = camelCase ? char.ToLowerInvariant(name[0]) + name[1..] : name;
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{prefix}{shown} is {v}; an LDIF limit must be between 1 and {ceiling} (the default is {@default})."));
            }
        }
    }

    /// <summary>The reader options: the library's defaults with the limits that are set. Call after <see cref="Validate"/>.</summary>
    /// <returns>A new instance.</returns>
    /// <exception cref="OverflowException">A limit is out of range (not validated).</exception>
    public LdifReaderOptions ToReaderOptions()
    {
        var options = new LdifReaderOptions();
        if (MaxLineLength is long line)
        {
            options.MaxLineLength = checked((int)line);
        }

        if (MaxValueSize is long value)
        {
            options.MaxValueSize = checked((int)value);
        }

        if (MaxRecordSize is long record)
        {
            options.MaxRecordSize = record;
        }

        if (MaxValuesPerAttribute is long values)
        {
            options.MaxValuesPerAttribute = checked((int)values);
        }

        if (MaxAttributesPerRecord is long attributes)
        {
            options.MaxAttributesPerRecord = checked((int)attributes);
        }

        return options;
    }
}
