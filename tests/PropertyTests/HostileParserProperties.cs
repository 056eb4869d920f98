using System.Buffers.Binary;
using System.Text;
using FsCheck.Xunit;
using PasswordHashSync.Digest;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.PropertyTests;

/// <summary>
/// Rule: the parsers of untrusted input let only their documented exception escape, whatever the bytes: random bytes,
/// and random mutations (bit flips, byte insertions and deletions, extreme 16/32-bit values written over fields) of
/// real inputs (the Samba blobs of samples/directory.ldif, the sample LDIF itself, a real wire digest). A blob that
/// parses and serializes must parse again to the same properties and keys (no silently corrupt output).
/// </summary>
public class HostileParserProperties
{
    private static readonly Lazy<string> s_sampleLdif = new(() => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif")));

    private static readonly Lazy<byte[][]> s_realBlobs = new(() =>
        [.. LdifDirectoryReader.Read(new StringReader(s_sampleLdif.Value))
            .Where(u => !u.SupplementalCredentials.IsEmpty)
            .Select(u => u.SupplementalCredentials.ToArray())]);

    private static readonly uint[] ExtremeValues = [0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0];

    [Property(MaxTest = 500)]
    public void Random_bytes_give_only_the_blob_format_exception(byte[] data, bool asUserProperties)
    {
        byte[] input = data ?? [];
        if (asUserProperties && input.Length >= 12)
        {
            // Make the Length field right, so the parser gets past the first check and into the properties.
            BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(4), (uint)(input.Length - 13));
        }

        Only<SupplementalCredentialsFormatException>(() => _ = SupplementalCredentialsBlob.Parse(input).ToByteArray());
        Only<SupplementalCredentialsFormatException>(() => _ = KerberosNewerKeysCredential.Parse(input).ToByteArray());
        Only<SupplementalCredentialsFormatException>(() => _ = KerberosStoredCredential.Parse(input).ToByteArray());
        Only<SupplementalCredentialsFormatException>(() => _ = WDigestCredentials.Parse(input).ToByteArray());
        Assert.Equal(SupplementalCredentialsBlob.TryParse(input, out _), Succeeds(() => SupplementalCredentialsBlob.Parse(input)));
    }

    [Property(MaxTest = 1500)]
    public void Mutated_real_blobs_fail_with_the_format_exception_or_round_trip_faithfully(int seed)
    {
        var random = new Random(seed);
        byte[][] blobs = s_realBlobs.Value;
        Assert.True(blobs.Length >= 10);
        byte[] blob = Mutate(blobs[random.Next(blobs.Length)], random);

        SupplementalCredentialsBlob parsed;
        try
        {
            parsed = SupplementalCredentialsBlob.Parse(blob);
        }
        catch (SupplementalCredentialsFormatException)
        {
            return;
        }

        _ = parsed.ToString();
        _ = parsed.GetCleartextPassword();
        IReadOnlyList<KerberosKey> keys = parsed.GetCurrentKerberosKeys();
        byte[] written;
        try
        {
            written = parsed.ToByteArray();
        }
        catch (InvalidOperationException)
        {
            return; // Documented: a value that no longer fits its 16-bit length is refused.
        }

        SupplementalCredentialsBlob again = SupplementalCredentialsBlob.Parse(written);
        Assert.Equal(parsed.Properties.Select(p => p.Name), again.Properties.Select(p => p.Name));
        Assert.Equal(
            keys.Select(k => (k.EncryptionType, Convert.ToHexString(k.Key.Span), Convert.ToHexString(k.Salt.Span), k.IterationCount)),
            again.GetCurrentKerberosKeys().Select(k => (k.EncryptionType, Convert.ToHexString(k.Key.Span), Convert.ToHexString(k.Salt.Span), k.IterationCount)));
        Assert.Equal(parsed.GetCleartextPassword(), again.GetCleartextPassword());
    }

    [Property(MaxTest = 300)]
    public void Mutated_sample_LDIF_gives_only_the_LDIF_format_exception(int seed)
    {
        var random = new Random(seed);
        string text = s_sampleLdif.Value;
        // A window of whole records, so that most edits land inside records the reader gets to.
        int start = text.IndexOf("\ndn: ", random.Next(text.Length / 2), StringComparison.Ordinal) + 1;
        int end = text.IndexOf("\ndn: ", Math.Min(start + 4000, text.Length - 1), StringComparison.Ordinal);
        var chars = new StringBuilder(text[start..(end < 0 ? text.Length : end)]);
        Assert.NotEmpty(LdifDirectoryReader.Read(new StringReader(chars.ToString())).ToList());
        for (int edits = random.Next(1, 6); edits > 0; edits--)
        {
            int at = random.Next(chars.Length);
            char c = "\n :-<#=\uD800\uDC00\0aZ9+/"[random.Next(15)];
            switch (random.Next(3))
            {
                case 0: chars.Remove(at, 1); break;
                case 1: chars.Insert(at, c); break;
                default: chars[at] = c; break;
            }
        }

        string ldif = chars.ToString();
        Only<LdifFormatException>(() => _ = LdifDirectoryReader.Read(new StringReader(ldif)).ToList());

        // The same edit as bytes, with random byte damage, through the UTF-8 stream path.
        byte[] bytes = new UTF8Encoding(false, false).GetBytes(ldif);
        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        Only<LdifFormatException>(() => _ = LdifDirectoryReader.Read(new MemoryStream(bytes)).ToList());
    }

    [Property(MaxTest = 500)]
    public void LDIF_limits_refuse_exactly_the_inputs_that_exceed_them(int seed)
    {
        // A random export (records of random attributes and values, text or base64, folded at a random width) and
        // random small limits; the model computes from the records themselves whether any limit is exceeded.
        var random = new Random(seed);
        var options = new LdifReaderOptions
        {
            MaxLineLength = random.Next(20, 200),
            MaxValueSize = random.Next(1, 80),
            MaxRecordSize = random.Next(50, 2000),
            MaxValuesPerAttribute = random.Next(1, 6),
            MaxAttributesPerRecord = random.Next(1, 6),
        };
        string[] names = ["a", "b", "c", "objectClass", "adminDescription", "d"];
        var text = new StringBuilder();
        bool exceeded = false;
        int fold = random.Next(2, 90);
        for (int r = random.Next(1, 4); r > 0; r--)
        {
            exceeded |= AppendFolded(text, $"dn: CN=r{r}", fold) > options.MaxLineLength;
            exceeded |= $"CN=r{r}".Length > options.MaxValueSize; // The DN is a value too.
            var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            long size = 0;
            for (int v = random.Next(0, 12); v > 0; v--)
            {
                string name = names[random.Next(names.Length)];
                string value = new(Enumerable.Range(0, random.Next(0, 90)).Select(_ => (char)('a' + random.Next(26))).ToArray());
                string line = random.Next(2) == 0 || value.Length == 0
                    ? name + ":" + (value.Length == 0 ? string.Empty : " " + value)
                    : name + ":: " + Convert.ToBase64String(Encoding.ASCII.GetBytes(value));
                exceeded |= AppendFolded(text, line, fold) > options.MaxLineLength;
                exceeded |= value.Length > options.MaxValueSize;
                size += value.Length + LdifReaderOptions.PerValueOverhead;
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }

            exceeded |= size > options.MaxRecordSize || counts.Count > options.MaxAttributesPerRecord || counts.Values.Any(c => c > options.MaxValuesPerAttribute);
            text.Append('\n');
        }

        string ldif = text.ToString();
        foreach (Func<IEnumerable<DirectoryUser>> read in new Func<IEnumerable<DirectoryUser>>[]
        {
            () => LdifDirectoryReader.Read(new StringReader(ldif), options),
            () => LdifDirectoryReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(ldif)), options),
        })
        {
            string? refusal = null;
            try
            {
                _ = read().ToList();
            }
            catch (LdifFormatException ex)
            {
                refusal = ex.Message;
                Assert.Contains("LdifReaderOptions.Max", ex.Message, StringComparison.Ordinal);
            }

            Assert.True(exceeded == (refusal is not null), $"limits exceeded: {exceeded}; reader: {refusal ?? "read it"}");
        }
    }

    [Property(MaxTest = 500)]
    public void The_LDIF_line_reader_splits_lines_as_TextReader_ReadLine_does(int seed)
    {
        var random = new Random(seed);
        const string Alphabet = "ab \r\n\u00e9\u20ac";
        var chars = new StringBuilder();
        for (int n = random.Next(0, 200); n > 0; n--)
        {
            chars.Append(random.Next(8) == 0 ? "\U0001F600" : Alphabet[random.Next(Alphabet.Length)].ToString());
        }

        string text = chars.ToString();
        var expected = new List<string>();
        using (var reference = new StringReader(text))
        {
            while (reference.ReadLine() is { } line)
            {
                expected.Add(line);
            }
        }

        foreach (LdifLineReader reader in new[] { new LdifLineReader(new StringReader(text), 1000), new LdifLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), 1000) })
        {
            var actual = new List<string>();
            while (reader.ReadLine())
            {
                actual.Add(reader.Line.ToString());
            }

            Assert.Equal(expected, actual);
            Assert.Equal(expected.Count, reader.LineNumber);
        }
    }

    [Property(MaxTest = 300)]
    public void Key_entries_with_random_overlaps_cost_at_most_a_few_times_their_blob(int seed)
    {
        // Entries with random lengths and offsets inside the value: the parser either refuses them or copies no more
        // key bytes than the structure holds, and writing either refuses before allocating or round-trips.
        var random = new Random(seed);
        int keys = random.Next(1, 200);
        int dataLength = random.Next(0, 20_000);
        int entriesEnd = 24 + (keys * 24);
        byte[] value = new byte[entriesEnd + dataLength];
        random.NextBytes(value.AsSpan(entriesEnd));
        BinaryPrimitives.WriteUInt16LittleEndian(value, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(4), (ushort)keys);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(16), (uint)entriesEnd);
        for (int i = 0; i < keys; i++)
        {
            Span<byte> entry = value.AsSpan(24 + (i * 24), 24);
            int length = random.Next(0, dataLength + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], 18);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], (uint)length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[20..], (uint)(entriesEnd + random.Next(0, dataLength - length + 1)));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        KerberosNewerKeysCredential credential;
        try
        {
            credential = KerberosNewerKeysCredential.Parse(value);
        }
        catch (SupplementalCredentialsFormatException)
        {
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (4L * value.Length) + (64 * 1024));
            return;
        }

        using (credential)
        {
            long keyBytes = credential.Credentials.Sum(k => (long)k.Key.Length);
            Assert.True(keyBytes <= value.Length);
            byte[] written = credential.ToByteArray();
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (8L * value.Length) + (64 * 1024));
            using KerberosNewerKeysCredential again = KerberosNewerKeysCredential.Parse(written);
            Assert.Equal(credential.Credentials.Select(k => Convert.ToHexString(k.Key.Span)), again.Credentials.Select(k => Convert.ToHexString(k.Key.Span)));
        }
    }

    /// <summary>Appends a logical line folded at <paramref name="width"/> (RFC 2849: continuation lines start with one space); returns its length.</summary>
    private static int AppendFolded(StringBuilder text, string line, int width)
    {
        text.Append(line.AsSpan(0, Math.Min(width, line.Length))).Append('\n');
        for (int at = width; at < line.Length; at += width - 1)
        {
            text.Append(' ').Append(line.AsSpan(at, Math.Min(width - 1, line.Length - at))).Append('\n');
        }

        return line.Length;
    }

    [Property(MaxTest = 1000)]
    public void Mutated_wire_digests_give_only_FormatException_or_a_verification_result(int seed)
    {
        var random = new Random(seed);
        var wire = new StringBuilder("v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;");
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            int at = random.Next(wire.Length);
            char c = ",;0123456789afAFgx- \uD800\uFFFF"[random.Next(21)];
            switch (random.Next(3))
            {
                case 0: wire.Remove(at, 1); break;
                case 1: wire.Insert(at, c); break;
                default: wire[at] = c; break;
            }
        }

        string text = wire.ToString();
        bool parsed = SaltedDigest.TryParse(text, out SaltedDigest? digest, out string? error);
        Assert.Equal(parsed, error is null);
        Only<FormatException>(() => SaltedDigest.Parse(text));

        // A small limit keeps each case fast; a mutated count above it must be refused before any work.
        DigestVerificationResult result = new SaltedDigestVerifier(1000, 2000).Verify("Pa$$w0rd", text);
        if (!parsed)
        {
            Assert.Equal(DigestVerificationFailure.Malformed, result.Failure);
        }
        else if (digest!.IterationCount > 2000)
        {
            Assert.Equal(DigestVerificationFailure.IterationCountAboveLimit, result.Failure);
        }
    }

    [Property(MaxTest = 300)]
    public void Random_replicated_values_give_only_the_decryption_exception(byte[] data, byte kind)
    {
        byte[] input = data ?? [];
        using var decryptor = new ReplicatedSecretDecryptor(new byte[16]);
        var secretKind = (ReplicatedSecretKind)(kind % 7);
        Only<ReplicatedSecretDecryptionException>(() => _ = decryptor.Decrypt(secretKind, input, 1000));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    // An extreme count, length or offset written over whatever field is there (as hex digits when
                    // inside the hex text, since USER_PROPERTIES values are hex).
                    uint value = ExtremeValues[random.Next(ExtremeValues.Length)];
                    byte[] field = random.Next(2) == 0
                        ? BitConverter.GetBytes(value)
                        : Encoding.ASCII.GetBytes(Convert.ToHexStringLower(BitConverter.GetBytes(value)));
                    for (int i = 0; i < field.Length && at + i < bytes.Count; i++)
                    {
                        bytes[at + i] = field[i];
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private static bool Succeeds(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (SupplementalCredentialsFormatException)
        {
            return false;
        }
    }

    private static void Only<TException>(Action action)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException)
        {
            // The documented failure.
        }
    }
}
