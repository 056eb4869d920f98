namespace PasswordHashSync.SupplementalCredentials;

// Reading a USER_PROPERTIES value (MS-SAMR 2.2.10.1): every length, count and offset is checked against what
// remains before anything is allocated.
public sealed partial class SupplementalCredentialsBlob
{
    /// <summary>Parses a <c>supplementalCredentials</c> value (already decrypted).</summary>
    /// <param name="blob">The USER_PROPERTIES bytes.</param>
    /// <returns>The parsed blob.</returns>
    /// <exception cref="SupplementalCredentialsFormatException">Any length, count, offset, signature or hex error.</exception>
    public static SupplementalCredentialsBlob Parse(ReadOnlySpan<byte> blob)
    {
        var reader = new BlobReader(blob, Structure);
        uint reserved1 = reader.ReadUInt32();
        uint length = reader.ReadUInt32();
        ushort reserved2 = reader.ReadUInt16();
        ushort reserved3 = reader.ReadUInt16();
        if (length != (long)blob.Length - ShortEmptySize)
        {
            throw reader.Error($"the Length field is {length}, but a {blob.Length}-byte blob needs {blob.Length - ShortEmptySize}");
        }

        if (blob.Length == ShortEmptySize)
        {
            return new SupplementalCredentialsBlob([], [], reader.ReadByte(), reserved1, reserved2, reserved3, EmptyForm.Short);
        }

        byte[] reserved4 = reader.ReadBytes(Reserved4Size, "Reserved4").ToArray();
        ushort signature = reader.ReadUInt16();
        if (signature != PropertySignature)
        {
            throw reader.Error($"the PropertySignature is 0x{signature:x4}, not 0x0050");
        }

        if (reader.Remaining == 1)
        {
            return new SupplementalCredentialsBlob([], reserved4, reader.ReadByte(), reserved1, reserved2, reserved3, EmptyForm.NoCount);
        }

        int count = reader.ReadUInt16();
        if ((long)count * 6 > reader.Remaining)
        {
            throw reader.Error($"{count} properties cannot fit in the remaining {reader.Remaining} bytes");
        }

        var properties = new UserProperty[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                int nameLength = reader.ReadUInt16();
                int valueLength = reader.ReadUInt16();
                ushort reserved = reader.ReadUInt16();
                string name = BlobReader.DecodeUtf16(reader.ReadBytes(nameLength, $"the name of property {i}"), Structure, $"the name of property {i}");
                if (name.Length == 0)
                {
                    throw reader.Error($"property {i} has an empty name");
                }

                ReadOnlySpan<byte> hex = reader.ReadBytes(valueLength, $"the value of property {i} ('{name}')");
                byte[] value = UserPropertyHex.Decode(hex, name, out bool uppercase);
                properties[i] = new UserProperty(name, value, reserved, uppercase);
            }

            if (reader.Remaining != 1)
            {
                throw reader.Error($"{reader.Remaining} bytes follow the properties where exactly one (Reserved5) was expected");
            }

            byte reserved5 = reader.ReadByte();
            return new SupplementalCredentialsBlob(properties, reserved4, reserved5, reserved1, reserved2, reserved3, EmptyForm.None);
        }
        catch
        {
            // A malformed blob leaves no decoded secret behind either.
            foreach (UserProperty? property in properties)
            {
                property?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Tries to parse a <c>supplementalCredentials</c> value; a malformed blob gives <see langword="false"/>.</summary>
    /// <param name="blob">The USER_PROPERTIES bytes.</param>
    /// <param name="result">The parsed blob, or <see langword="null"/>.</param>
    /// <returns>Whether the blob was well formed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> blob, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SupplementalCredentialsBlob? result)
    {
        try
        {
            result = Parse(blob);
            return true;
        }
        catch (SupplementalCredentialsFormatException)
        {
            result = null;
            return false;
        }
    }
}
