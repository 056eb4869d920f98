namespace PasswordHashSync.SupplementalCredentials;

// Writing a USER_PROPERTIES value (MS-SAMR 2.2.10.1): known properties are re-encoded from their decoded form, so the
// round trip exercises the writers, and the size is known (and checked against the 16-bit fields) before it is written.
public sealed partial class SupplementalCredentialsBlob
{
    /// <summary>Serializes the blob, re-encoding every decoded property.</summary>
    /// <returns>The USER_PROPERTIES bytes.</returns>
    /// <remarks>
    /// The size is computed first, from the decoded structures, and every 16-bit length is checked before anything is
    /// allocated; the result is then written once. A known property is re-encoded into one pinned scratch buffer that
    /// is zeroed right after its hex is written, so no binary copy of a key is left behind.
    /// </remarks>
    /// <exception cref="InvalidOperationException">
    /// A property name or hex value is longer than its 16-bit length field can say (32767 characters of name, 32767
    /// bytes of value), or there are more than 65535 properties. This can happen for a property built in code, or for a parsed <c>Primary:Kerberos*</c> value
    /// whose keys overlapped and so re-encodes larger. The blob is refused rather than written with a wrong length.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The blob was disposed.</exception>
    public byte[] ToByteArray()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bool header = _emptyForm != EmptyForm.Short || _properties.Length > 0;
        bool counted = header && (_emptyForm != EmptyForm.NoCount || _properties.Length > 0);
        if (_properties.Length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{Structure}: {_properties.Length} properties do not fit the 16-bit PropertyCount.");
        }

        long size = FixedHeaderSize + (header ? Reserved4Size + 2 : 0) + (counted ? 2 : 0) + 1;
        var valueLengths = new int[_properties.Length];
        for (int i = 0; i < _properties.Length; i++)
        {
            UserProperty property = _properties[i];
            long nameLength = 2L * property.Name.Length;
            long valueLength = EncodedValueLength(property);
            if (nameLength > ushort.MaxValue || 2 * valueLength > ushort.MaxValue)
            {
                throw new InvalidOperationException(
                    $"{Structure}: the property '{(property.Name.Length > 64 ? property.Name[..64] + "..." : property.Name)}' has a {nameLength}-byte name " +
                    $"and a {2 * valueLength}-character hex value; each must fit a 16-bit length (at most {ushort.MaxValue}).");
            }

            valueLengths[i] = (int)valueLength;
            size += 6 + nameLength + (2 * valueLength);
        }

        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException($"{Structure}: the blob would be {size} bytes, more than one array holds.");
        }

        byte[] result = new byte[size];
        var output = new BlobWriter(result);
        output.Write(Reserved1);
        output.Write((uint)(size - ShortEmptySize));
        output.Write(Reserved2);
        output.Write(Reserved3);
        if (header)
        {
            output.Write(_reserved4.Length == Reserved4Size ? _reserved4 : DefaultReserved4());
            output.Write(PropertySignature);
            if (counted)
            {
                output.Write((ushort)_properties.Length);
                for (int i = 0; i < _properties.Length; i++)
                {
                    WriteProperty(ref output, _properties[i], valueLengths[i]);
                }
            }
        }

        output.Write(Reserved5);
        return result;
    }

    internal static byte[] EncodePackages(IEnumerable<string> names) => BlobReader.EncodeUtf16(string.Join('\0', names));

    private long EncodedValueLength(UserProperty property)
    {
        if (ReferenceEquals(property, _kerberosNewerKeysProperty) && KerberosNewerKeys is not null)
        {
            return KerberosNewerKeys.GetEncodedLength();
        }

        if (ReferenceEquals(property, _kerberosProperty) && Kerberos is not null)
        {
            return Kerberos.GetEncodedLength();
        }

        if (ReferenceEquals(property, _wdigestProperty) && WDigest is not null)
        {
            return WDigest.EncodedLength;
        }

        if (ReferenceEquals(property, _packagesProperty) && Packages is not null)
        {
            return 2L * (Packages.Sum(p => (long)p.Length) + Math.Max(Packages.Count - 1, 0));
        }

        return property.Length;
    }

    private void WriteProperty(ref BlobWriter output, UserProperty property, int valueLength)
    {
        output.Write((ushort)(property.Name.Length * 2));
        output.Write((ushort)(valueLength * 2));
        output.Write(property.Reserved);
        output.WriteUtf16(property.Name);
        bool known = (ReferenceEquals(property, _kerberosNewerKeysProperty) && KerberosNewerKeys is not null)
            || (ReferenceEquals(property, _kerberosProperty) && Kerberos is not null)
            || (ReferenceEquals(property, _wdigestProperty) && WDigest is not null);
        if (!known)
        {
            ReadOnlySpan<byte> value = ReferenceEquals(property, _packagesProperty) && Packages is not null
                ? EncodePackages(Packages)
                : property.Value.Span;
            output.WriteHex(value, property.UppercaseHex);
            return;
        }

        byte[] scratch = SecretBytes.Allocate(valueLength);
        try
        {
            if (ReferenceEquals(property, _kerberosNewerKeysProperty))
            {
                KerberosNewerKeys!.WriteTo(scratch);
            }
            else if (ReferenceEquals(property, _kerberosProperty))
            {
                Kerberos!.WriteTo(scratch);
            }
            else
            {
                WDigest!.WriteTo(scratch);
            }

            output.WriteHex(scratch, property.UppercaseHex);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(scratch);
        }
    }
}
