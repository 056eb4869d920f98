namespace PasswordHashSync.PropertyTests.LdifReference;

/// <summary>One LDIF content record: a DN and its attribute values as bytes (text values are UTF-8).</summary>
internal sealed class ReferenceLdifRecord(string distinguishedName, long lineNumber)
{
    public string DistinguishedName { get; } = distinguishedName;

    public long LineNumber { get; } = lineNumber;

    /// <summary>Attribute description (options stripped, as written) → values; IsBase64 tells how each value was given.</summary>
    public Dictionary<string, List<(byte[] Value, bool IsBase64, long Line)>> Attributes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string name, byte[] value, bool isBase64, long line)
    {
        if (!Attributes.TryGetValue(name, out List<(byte[], bool, long)>? values))
        {
            values = [];
            Attributes.Add(name, values);
        }

        values.Add((value, isBase64, line));
    }
}
