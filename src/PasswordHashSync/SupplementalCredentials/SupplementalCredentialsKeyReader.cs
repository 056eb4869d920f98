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
/// signature, hex digits, duplicate names, the WDigest hash count, the odd-length checks), every property is
/// hex-decoded into one pooled scratch buffer (zeroed before it is returned), and only the two Kerberos properties
/// (MS-SAMR 2.2.10.4, 2.2.10.6) are parsed into objects. The WDigest hashes, the package list and the property objects
/// are never allocated.
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

        byte[] scratch = ArrayPool<byte>.Shared.Rent(Math.Max(blob.Length / 2, 1));
        try
        {
            return TryWalk(blob, position, count, scratch, out keys);
        }
        catch (SupplementalCredentialsFormatException)
        {
            // A Kerberos property the full parser will refuse too, with its own message.
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static bool TryWalk(ReadOnlySpan<byte> blob, int position, int count, byte[] scratch, out IReadOnlyList<KerberosKey>? keys)
    {
        keys = null;
        Span<Range> names = stackalloc Range[MaxProperties];
        Range newer = default;
        Range older = default;
        bool hasNewer = false;
        bool hasOlder = false;
        int decoded = 0;
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
            Span<byte> value = scratch.AsSpan(decoded, valueLength / 2);
            if (Convert.FromHexString(blob.Slice(position, valueLength), value, out _, out int written) != OperationStatus.Done || written != value.Length)
            {
                return false;
            }

            position += valueLength;
            var range = decoded..(decoded + written);
            decoded += written;
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
                if (value.Length < WDigestHeaderSize || value[3] * WDigestHashSize > value.Length - WDigestHeaderSize)
                {
                    return false;
                }
            }
            else if (Is(name, SupplementalCredentialsPropertyNames.Packages) || Is(name, SupplementalCredentialsPropertyNames.Cleartext))
            {
                if (value.Length % 2 != 0)
                {
                    return false;
                }
            }
        }

        if (blob.Length - position != 1)
        {
            return false;
        }

        // Both parsed before any key is copied out, as the full parser parses every property before keys are asked for.
        using KerberosNewerKeysCredential? newerKeys = hasNewer ? KerberosNewerKeysCredential.Parse(scratch.AsSpan(newer)) : null;
        using KerberosStoredCredential? olderKeys = hasOlder ? KerberosStoredCredential.Parse(scratch.AsSpan(older)) : null;
        var result = new List<KerberosKey>();
        if (newerKeys is not null)
        {
            result.AddRange(newerKeys.GetCurrentKeys());
        }

        if (olderKeys is not null)
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

        keys = result;
        return true;
    }

    private static bool Is(ReadOnlySpan<byte> utf16Name, string name) =>
        MemoryMarshal.Cast<byte, char>(utf16Name).SequenceEqual(name);
}
