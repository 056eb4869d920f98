using System.Text;
using PasswordHashSync.Cli.Input;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// <c>pwsync replicate</c>'s JSON lines: byte for byte what the former string-based writer produced (kept below as
/// <see cref="StringHexWriter"/>, the code as it was before secrets stopped becoming strings), on the bundled sample's
/// accounts (a real Samba export: NT hashes, Kerberos keys, non-ASCII names) plus hand-made edge cases; and the line
/// buffer holds no secret after a write.
/// </summary>
public class ReplicateJsonWriterTests
{
    private static readonly string SamplePath = Path.Combine(RepositoryPaths.Root, "samples", "directory.ldif");

    [Fact]
    public void Output_IsByteForByteTheFormerStringWriters_OnTheSampleAccounts()
    {
        List<ReplicatedAccount> accounts = Accounts();
        try
        {
            Assert.Contains(accounts, a => !a.SupplementalCredentials.IsEmpty);
            Assert.Contains(accounts, a => a.NtHash.IsEmpty);
            byte[] expected = Write(accounts, stream => new StringHexWriter(stream), (w, a) => w.Write(a));
            byte[] actual = Write(accounts, stream => new ReplicatedAccountJsonWriter(stream), (w, a) => w.Write(a));

            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Equal(expected, actual);
            Assert.Contains("\"kerberosKeys\":[{\"etype\":18,\"key\":\"", Encoding.UTF8.GetString(actual), StringComparison.Ordinal);
        }
        finally
        {
            accounts.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public void Output_OfAHandMadeAccount_IsTheDocumentedLine()
    {
        byte[] ntHash = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        byte[] history = [.. ntHash, .. Enumerable.Repeat((byte)0xAB, 16)];
        byte[] sid = [1, 4, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0xF4, 0x01, 0, 0];
        var user = new DirectoryUser
        {
            DistinguishedName = "CN=J\u00f6rg,CN=Users,DC=contoso,DC=com",
            SamAccountName = "J\u00f6rg \"quoted\"",
            ObjectSid = sid,
            ObjectGuid = new Guid("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"),
            UserAccountControl = UserAccountControl.NormalAccount,
            NtHash = ntHash,
        };
        using var account = new ReplicatedAccount(user, ntHash, history, []);
        using var stream = new MemoryStream();
        using (var writer = new ReplicatedAccountJsonWriter(stream))
        {
            writer.Write(account);
        }

        Assert.Equal(
            "{\"samAccountName\":\"J\u00f6rg \\\"quoted\\\"\",\"objectSid\":\"S-1-5-21-1-2-500\",\"objectGuid\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\"," +
            "\"userPrincipalName\":null,\"userAccountControl\":512,\"ntHash\":\"000102030405060708090a0b0c0d0e0f\"," +
            "\"ntHashHistory\":[\"000102030405060708090a0b0c0d0e0f\",\"abababababababababababababababab\"],\"kerberosKeys\":[]}\n",
            Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void LineBuffer_IsZeroAfterEveryWrite_AndHeldTheSecretsBefore()
    {
        List<ReplicatedAccount> accounts = Accounts();
        try
        {
            var stream = new CapturingStream();
            using var writer = new ReplicatedAccountJsonWriter(stream);
            foreach (ReplicatedAccount account in accounts)
            {
                writer.Write(account);
                Assert.True(writer.Buffer.WholeBuffer.IndexOfAnyExcept((byte)0) < 0, $"the line buffer still holds {account.SamAccountName}'s line");
            }

            // The line was in the buffer when it was written out (so the zeroing above had something to do).
            ReplicatedAccount withHash = accounts.First(a => !a.NtHash.IsEmpty);
            Assert.Contains(Convert.ToHexStringLower(withHash.NtHash.Span), stream.SeenWhileWriting, StringComparison.Ordinal);
            Assert.Equal(accounts.Count, stream.Writes);
        }
        finally
        {
            accounts.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public void ZeroingBufferWriter_ZeroesTheOldArrayWhenItGrows_AndAllOnClear()
    {
        using var buffer = new ZeroingBufferWriter(16);
        Span<byte> first = buffer.GetSpan(16);
        first[..16].Fill(0x5A);
        buffer.Advance(16);
        byte[] old = buffer.WholeBuffer.ToArray();
        Assert.All(old, b => Assert.Equal(0x5A, b));

        Span<byte> grown = buffer.GetSpan(100);
        Assert.True(grown.Length >= 100);
        Assert.Equal(16, buffer.WrittenSpan.Length);
        Assert.All(buffer.WrittenSpan.ToArray(), b => Assert.Equal(0x5A, b));
        grown[0] = 0x77; // handed out, never advanced: Clear zeroes it too

        buffer.Clear();

        Assert.True(buffer.WholeBuffer.IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(0, buffer.WrittenSpan.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(buffer.WholeBuffer.Length + 1));
    }

    // The sample's users as replicated accounts, with a two-entry history for those that have an NT hash.
    private static List<ReplicatedAccount> Accounts()
    {
        var accounts = new List<ReplicatedAccount>();
        foreach (DirectoryUser read in LdifDirectoryReader.ReadFile(SamplePath))
        {
            byte[] ntHash = read.NtHash.ToArray();
            byte[] history = ntHash.Length == 0 ? [] : [.. ntHash, .. ntHash.Reverse()];
            byte[] supplemental = read.SupplementalCredentials.ToArray();
            var user = new DirectoryUser
            {
                DistinguishedName = read.DistinguishedName,
                ObjectClasses = read.ObjectClasses,
                SamAccountName = read.SamAccountName,
                UserPrincipalName = read.UserPrincipalName,
                ObjectSid = read.ObjectSid,
                ObjectGuid = read.ObjectGuid,
                UserAccountControl = read.UserAccountControl,
                NtHash = ntHash,
                SupplementalCredentials = supplemental,
            };
            accounts.Add(new ReplicatedAccount(user, ntHash, history, supplemental));
        }

        accounts.Add(new ReplicatedAccount(new DirectoryUser { DistinguishedName = "CN=Guest,CN=Users,DC=phs,DC=example,DC=test", SamAccountName = "Guest" }, [], [], []));
        return accounts;
    }

    private static byte[] Write<TWriter>(List<ReplicatedAccount> accounts, Func<Stream, TWriter> create, Action<TWriter, ReplicatedAccount> write)
        where TWriter : IDisposable
    {
        using var stream = new MemoryStream();
        using (TWriter writer = create(stream))
        {
            accounts.ForEach(a => write(writer, a));
        }

        return stream.ToArray();
    }

    /// <summary>Remembers what each write carried, at the moment of the write (the writer zeroes its buffer after).</summary>
    private sealed class CapturingStream : Stream
    {
        private readonly StringBuilder _seen = new();

        public string SeenWhileWriting => _seen.ToString();

        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            _seen.Append(Encoding.UTF8.GetString(buffer));
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>The writer as it was before this change (strings from <see cref="Hex.Format"/>), the reference for the bytes.</summary>
    private sealed class StringHexWriter(Stream stream) : IDisposable
    {
        private readonly JsonLinesWriter _lines = new(stream);

        public void Write(ReplicatedAccount account)
        {
            IReadOnlyList<KerberosKey> keys = account.SupplementalCredentials.IsEmpty
                ? []
                : SupplementalCredentialsKerberosKeyExtractor.Instance.ExtractCurrentKeys(account.SupplementalCredentials);
            System.Text.Json.Utf8JsonWriter json = _lines.Json;
            json.WriteStartObject();
            _lines.WriteNullable("samAccountName", account.SamAccountName);
            _lines.WriteNullable("objectSid", account.ObjectSid);
            _lines.WriteNullable("objectGuid", account.ObjectGuid?.ToString("D", System.Globalization.CultureInfo.InvariantCulture));
            _lines.WriteNullable("userPrincipalName", account.UserPrincipalName);
            json.WriteNumber("userAccountControl", (int)account.UserAccountControl);
            _lines.WriteNullable("ntHash", account.NtHash.IsEmpty ? null : Hex.Format(account.NtHash.Span));
            json.WriteStartArray("ntHashHistory");
            foreach (ReadOnlyMemory<byte> entry in account.NtHashHistory)
            {
                json.WriteStringValue(Hex.Format(entry.Span));
            }

            json.WriteEndArray();
            _lines.WriteKerberosKeys("kerberosKeys", keys);
            json.WriteEndObject();
            _lines.EndLine();
            foreach (KerberosKey key in keys)
            {
                key.Dispose();
            }
        }

        public void Dispose() => _lines.Dispose();
    }
}
