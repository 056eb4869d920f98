using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.SupplementalCredentials;

/// <summary>
/// The current keys of a <c>KERB_STORED_CREDENTIAL_NEW</c> (MS-SAMR 2.2.10.6) read straight from the hex text of the
/// <c>Primary:Kerberos-Newer-Keys</c> property in the blob: the fields are hex-decoded where they lie, and each key
/// that becomes a <see cref="KerberosKey"/> is decoded once, into the pinned array the key keeps. No decoded copy of
/// the structure, no <see cref="KerberosStoredKey"/> and no second key copy is made.
/// </summary>
/// <remarks>
/// Accepts exactly what <see cref="KerberosNewerKeysCredential.Parse"/> accepts (revision 4, the header, every entry
/// and the salt inside the structure, the key bytes not adding up to more than the structure) and gives what
/// <see cref="KerberosNewerKeysCredential.GetCurrentKeys"/> gives; anything else is <see langword="false"/>, and the
/// caller hands the blob to the full parser for its exception and message.
/// </remarks>
internal static class KerberosNewerKeysHexReader
{
    private const int HeaderSize = 24;
    private const int EntrySize = 24;

    /// <summary>Appends the current keys to <paramref name="keys"/>; <see langword="false"/> (nothing appended) when the structure is not regular.</summary>
    /// <param name="hex">The property value: hex digits (already checked), two per byte.</param>
    /// <param name="keys">Where the keys go; the caller owns them.</param>
    public static bool TryReadCurrentKeys(ReadOnlySpan<byte> hex, List<KerberosKey> keys)
    {
        int length = hex.Length / 2;
        if (length < HeaderSize || HexFields.UInt16(hex, 0) != KerberosNewerKeysCredential.Revision)
        {
            return false;
        }

        int current = HexFields.UInt16(hex, 4);
        int total = current + HexFields.UInt16(hex, 6) + HexFields.UInt16(hex, 8) + HexFields.UInt16(hex, 10);
        int saltLength = HexFields.UInt16(hex, 12);
        uint saltOffset = HexFields.UInt32(hex, 16);
        uint iterations = HexFields.UInt32(hex, 20);
        if ((long)total * EntrySize > length - HeaderSize || !Fits(saltOffset, (uint)saltLength, length) || saltLength % 2 != 0)
        {
            return false;
        }

        // Every entry (service, old and older too) is checked as the full parser checks it.
        long keyBytes = 0;
        for (int i = 0; i < total; i++)
        {
            int entry = HeaderSize + (i * EntrySize);
            uint keyLength = HexFields.UInt32(hex, entry + 16);
            keyBytes += keyLength;
            if (!Fits(HexFields.UInt32(hex, entry + 20), keyLength, length) || keyBytes > length)
            {
                return false;
            }
        }

        byte[] salt = Salt(hex.Slice(2 * (int)saltOffset, 2 * saltLength));
        int defaultIterations = iterations is > 0 and <= int.MaxValue ? (int)iterations : 4096;
        // One pinned slice for all the keys taken (each KerberosKey owns and zeroes its part): a pinned allocation per
        // key took the pinned heap's lock four times per user.
        int taken = 0;
        for (int i = 0; i < current; i++)
        {
            if (Takes(hex, HeaderSize + (i * EntrySize), out int keyLength))
            {
                taken += keyLength;
            }
        }

        (byte[] pinned, int start) = PinnedKeySlab.Take(taken);
        int first = keys.Count;
        int offset = start;
        try
        {
            for (int i = 0; i < current; i++)
            {
                int entry = HeaderSize + (i * EntrySize);
                if (!Takes(hex, entry, out int keyLength))
                {
                    continue;
                }

                var type = (KerberosEncryptionType)(int)HexFields.UInt32(hex, entry + 12);
                uint keyIterations = HexFields.UInt32(hex, entry + 8);
                int used = !KerberosEncryptionTypes.UsesIterationCount(type) ? 0
                    : keyIterations is > 0 and <= int.MaxValue ? (int)keyIterations : defaultIterations;
                keys.Add(KerberosKey.AdoptSlice(type, pinned, offset, keyLength, type == KerberosEncryptionType.Rc4Hmac ? [] : salt, used));
                Decode(hex.Slice(2 * (int)HexFields.UInt32(hex, entry + 20), 2 * keyLength), pinned.AsSpan(offset, keyLength));
                offset += keyLength;
            }
        }
        catch
        {
            foreach (KerberosKey key in keys.Skip(first))
            {
                key.Dispose();
            }

            keys.RemoveRange(first, keys.Count - first);
            CryptographicOperations.ZeroMemory(pinned.AsSpan(start, taken));
            throw;
        }

        return true;
    }

    /// <summary>The default salt as the full parser's keys hold it: the UTF-16 string (lone surrogates kept), then its UTF-8 bytes.</summary>
    private static byte[] Salt(ReadOnlySpan<byte> hex)
    {
        int size = hex.Length / 2;
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            Span<byte> utf16 = rented.AsSpan(0, size);
            Decode(hex, utf16);
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("The keys-only reader runs on little-endian machines only.");
            }

            return Encoding.UTF8.GetBytes(new string(MemoryMarshal.Cast<byte, char>(utf16)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // A current key the full parser's GetCurrentKeys hands out: a supported type with the key length it needs.
    private static bool Takes(ReadOnlySpan<byte> hex, int entry, out int keyLength)
    {
        var type = (KerberosEncryptionType)(int)HexFields.UInt32(hex, entry + 12);
        keyLength = (int)HexFields.UInt32(hex, entry + 16);
        return KerberosEncryptionTypes.IsSupported(type) && KerberosEncryptionTypes.GetKeySize(type) == keyLength;
    }

    private static bool Fits(uint offset, uint length, int size) => offset <= size && length <= size - offset;

    private static void Decode(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        if (Convert.FromHexString(hex, destination, out _, out int written) != OperationStatus.Done || written != destination.Length)
        {
            throw new InvalidOperationException("Hex digits checked by the keys-only reader did not decode.");
        }
    }
}
