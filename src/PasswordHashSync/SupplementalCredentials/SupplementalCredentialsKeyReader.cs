using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// The current Kerberos keys of a <c>supplementalCredentials</c> blob (what <see cref="SupplementalCredentialsBlob.Parse"/>
/// followed by <see cref="SupplementalCredentialsBlob.GetCurrentKerberosKeys"/> gives) without building the blob: the
/// USER_PROPERTIES are checked as <see cref="SupplementalCredentialsBlob.Parse"/> checks them (MS-SAMR 2.2.10.1: lengths,
/// signature, hex digits, duplicate names, the WDigest hash count, the odd-length checks) without decoding them;
/// <c>Primary:Kerberos-Newer-Keys</c> is read straight from its hex (<see cref="KerberosNewerKeysHexReader"/>: each key
/// decoded once, into the array its <see cref="KerberosKey"/> keeps) and only <c>Primary:Kerberos</c> is decoded, into a
/// pooled buffer zeroed before it is returned, and parsed (MS-SAMR 2.2.10.4). The WDigest hashes, the package list and
/// the property objects are never allocated.
/// </summary>
/// <remarks>
/// Any irregularity (whatever the fast walk cannot accept) hands the blob to <see cref="SupplementalCredentialsBlob.Parse"/>,
/// so a malformed blob throws exactly the exception and message it always did, and a blob the walk is unsure of still
/// gives the full parser's answer.
/// </remarks>
internal static class SupplementalCredentialsKeyReader
{
    private const int ShortEmptySize = 13;
    private const int HeaderSize = 12;
    private const int Reserved4Size = 96;
    private const int WDigestHeaderSize = 16;
    private const int WDigestHashSize = 16;
    private const int MaxProperties = 16;

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef"u8);

    /// <summary>The current keys; the caller owns (disposes) them.</summary>
    /// <param name="blob">The USER_PROPERTIES bytes.</param>
    /// <returns>The keys, in <see cref="SupplementalCredentialsBlob.GetCurrentKerberosKeys"/> order.</returns>
    /// <exception cref="SupplementalCredentialsFormatException">The blob is malformed (the full parser's exception).</exception>
    public static IReadOnlyList<KerberosKey> ExtractCurrentKeys(ReadOnlySpan<byte> blob)
    {
        if (TryExtract(blob, out IReadOnlyList<KerberosKey>? keys))
        {
            return keys;
        }

        using SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
        return parsed.GetCurrentKerberosKeys();
    }

    /// <summary>The fast walk alone (tests compare it with the full parser); <see langword="false"/> means "ask the full parser".</summary>
    internal static bool TryExtract(ReadOnlySpan<byte> blob, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<KerberosKey>? keys)
    {
        keys = null;
        if (!BitConverter.IsLittleEndian || blob.Length < ShortEmptySize || BinaryPrimitives.ReadUInt32LittleEndian(blob[4..]) != (long)blob.Length - ShortEmptySize)
        {
            return false;
        }

        if (blob.Length == ShortEmptySize)
        {
            keys = [];
            return true;
        }

        int position = HeaderSize + Reserved4Size;
        if (blob.Length < position + 2 || BinaryPrimitives.ReadUInt16LittleEndian(blob[position..]) != SupplementalCredentialsBlob.PropertySignature)
        {
            return false;
        }

        position += 2;
        if (blob.Length - position == 1)
        {
            keys = [];
            return true;
        }

        if (blob.Length - position < 2)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(blob[position..]);
        position += 2;
        if (count > MaxProperties)
        {
            // More than any DC writes: the full parser (a hash set for the duplicate check) takes it.
            return false;
        }

        try
        {
            return TryWalk(blob, position, count, out keys);
        }
        catch (SupplementalCredentialsFormatException)
        {
            // A Kerberos property the full parser will refuse too, with its own message.
            return false;
        }
    }

    private static bool TryWalk(ReadOnlySpan<byte> blob, int position, int count, out IReadOnlyList<KerberosKey>? keys)
    {
        keys = null;
        Span<Range> names = stackalloc Range[MaxProperties];
        Range newer = default;
        Range older = default;
        bool hasNewer = false;
        bool hasOlder = false;
        for (int i = 0; i < count; i++)
        {
            if (blob.Length - position < 6)
            {
                return false;
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(blob[position..]);
            int valueLength = BinaryPrimitives.ReadUInt16LittleEndian(blob[(position + 2)..]);
            position += 6;
            if (nameLength == 0 || nameLength % 2 != 0 || valueLength % 2 != 0 || blob.Length - position < nameLength + valueLength)
            {
                return false;
            }

            names[i] = position..(position + nameLength);
            ReadOnlySpan<byte> name = blob[names[i]];
            for (int j = 0; j < i; j++)
            {
                if (blob[names[j]].SequenceEqual(name))
                {
                    return false;
                }
            }

            position += nameLength;
            var range = position..(position + valueLength);
            ReadOnlySpan<byte> hex = blob[range];
            position += valueLength;

            // Checked, not decoded: only the Kerberos properties' fields and keys are decoded, where they lie.
            if (hex.IndexOfAnyExcept(HexDigits) >= 0)
            {
                return false;
            }

            if (Is(name, SupplementalCredentialsPropertyNames.KerberosNewerKeys))
            {
                (newer, hasNewer) = (range, true);
            }
            else if (Is(name, SupplementalCredentialsPropertyNames.Kerberos))
            {
                (older, hasOlder) = (range, true);
            }
            else if (Is(name, SupplementalCredentialsPropertyNames.WDigest))
            {
                // WDIGEST_CREDENTIALS (MS-SAMR 2.2.10.2): a 16-byte header whose fourth byte counts 16-byte hashes.
                int size = hex.Length / 2;
                if (size < WDigestHeaderSize || HexByte(hex, 3) * WDigestHashSize > size - WDigestHeaderSize)
                {
                    return false;
                }
            }
            else if (Is(name, SupplementalCredentialsPropertyNames.Packages) || Is(name, SupplementalCredentialsPropertyNames.Cleartext))
            {
                if (hex.Length / 2 % 2 != 0)
                {
                    return false;
                }
            }
        }

        if (blob.Length - position != 1)
        {
            return false;
        }

        var result = new List<KerberosKey>();
        if (hasNewer && !KerberosNewerKeysHexReader.TryReadCurrentKeys(blob[newer], result))
        {
            return false;
        }

        // Primary:Kerberos is parsed only when it is irregular (the full parser's exception) or adds a key: a DC writes
        // the same DES keys in both properties, and parsing them only to drop them cost a tenth of a sync's CPU.
        if (hasOlder && KerberosStoredHexCheck.Check(blob[older], result) != KerberosStoredHexCheck.Outcome.Redundant)
        {
            KerberosStoredCredential olderKeys;
            try
            {
                olderKeys = ParseDecoded(blob[older]);
            }
            catch
            {
                foreach (KerberosKey key in result)
                {
                    key.Dispose();
                }

                throw;
            }

            using (olderKeys)
            {
                foreach (KerberosKey key in olderKeys.GetCurrentKeys())
                {
                    if (!result.Exists(k => k.EncryptionType == key.EncryptionType))
                    {
                        result.Add(key);
                    }
                    else
                    {
                        key.Dispose();
                    }
                }
            }
        }

        keys = result;
        return true;
    }

    private static int HexByte(ReadOnlySpan<byte> hex, int index)
    {
        Span<byte> value = stackalloc byte[1];
        _ = Convert.FromHexString(hex.Slice(2 * index, 2), value, out _, out _);
        return value[0];
    }

    /// <summary>KERB_STORED_CREDENTIAL (Primary:Kerberos) decoded into a pooled buffer that is zeroed before it is returned.</summary>
    private static KerberosStoredCredential ParseDecoded(ReadOnlySpan<byte> hex)
    {
        byte[] scratch = ArrayPool<byte>.Shared.Rent(Math.Max(hex.Length / 2, 1));
        try
        {
            Span<byte> value = scratch.AsSpan(0, hex.Length / 2);
            if (Convert.FromHexString(hex, value, out _, out int written) != OperationStatus.Done || written != value.Length)
            {
                throw new InvalidOperationException("Checked hex digits did not decode.");
            }

            return KerberosStoredCredential.Parse(value);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static bool Is(ReadOnlySpan<byte> utf16Name, string name) =>
        MemoryMarshal.Cast<byte, char>(utf16Name).SequenceEqual(name);
}
