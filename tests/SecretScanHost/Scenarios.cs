using System.Text;
using PasswordHashSync.Cli.Batch;
using PasswordHashSync.Directory;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;
using PasswordHashSync.TestSupport;

namespace PasswordHashSync.SecretScanHost;

/// <summary>
/// The measured scenarios. The secret enters only as hex text (argument) or as the JSON request line (standard
/// input), so every raw copy the scan finds was made by the code under test (or kept on purpose by a control run).
/// </summary>
internal static class Scenarios
{
    private static readonly DateTimeOffset s_changed = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Three managed-domain decisions for a user whose blob holds the AES256 key.</summary>
    public static int Decide(string keyHex, bool dispose)
    {
        using var scan = new ProcessMemoryScanner(keyHex);
        var user = new DirectoryUser
        {
            DistinguishedName = "CN=alice,CN=Users,DC=contoso,DC=com",
            SamAccountName = "alice",
            ObjectGuid = Guid.NewGuid(),
            ObjectClasses = ["top", "person", "organizationalPerson", "user"],
            UserAccountControl = UserAccountControl.NormalAccount,
            NtHash = new byte[16],
            SupplementalCredentials = SupplementalCredentialsTestBlob.WithAes256Key(keyHex),
            PwdLastSet = s_changed.ToFileTime(),
            PasswordLastChanged = s_changed,
        };
        var planner = new SyncPlanner();
        var settings = new PasswordHashSyncSettings { ManagedDomainEnabled = true };
        var kept = new List<IDisposable>();
        for (int i = 0; i < 3; i++)
        {
            ManagedDomainRecord record = planner.Decide(user, settings).ManagedDomainRecord
                ?? throw new InvalidOperationException("no managed-domain record");
            if (!record.KerberosKeys[0].Key.Span.SequenceEqual(scan.Secret))
            {
                throw new InvalidOperationException("the record does not hold the key");
            }

            if (dispose)
            {
                record.Dispose();
            }
            else
            {
                kept.Add(record);
            }
        }

        return Report(scan.CountCopies(), kept);
    }

    /// <summary>A parsed blob written back three times.</summary>
    public static int Write(string keyHex, bool dispose)
    {
        using var scan = new ProcessMemoryScanner(keyHex);
        byte[] blob = SupplementalCredentialsTestBlob.WithAes256Key(keyHex);
        SupplementalCredentialsBlob parsed = SupplementalCredentialsBlob.Parse(blob);
        for (int i = 0; i < 3; i++)
        {
            if (!parsed.ToByteArray().AsSpan().SequenceEqual(blob))
            {
                throw new InvalidOperationException("the blob does not round-trip");
            }
        }

        var kept = new List<IDisposable>();
        if (dispose)
        {
            parsed.Dispose();
        }
        else
        {
            kept.Add(parsed);
        }

        return Report(scan.CountCopies(), kept);
    }

    /// <summary>The pwsync batch contract on this process's standard input and output.</summary>
    public static int Batch(string passwordUtf8Hex, bool dispose)
    {
        using var utf8 = new ProcessMemoryScanner(passwordUtf8Hex);
        using var utf16 = new ProcessMemoryScanner(passwordUtf8Hex, utf16: true);
        object? kept = null;
        using (Stream output = Console.OpenStandardOutput())
        using (var processor = new BatchProcessor(output))
        {
            Stream input = Console.OpenStandardInput();
            if (!dispose)
            {
                // The control: what a caller that buffers the requests and decodes them to text keeps.
                var buffered = new MemoryStream();
                input.CopyTo(buffered);
                kept = (buffered, Encoding.UTF8.GetString(buffered.GetBuffer(), 0, (int)buffered.Length));
                buffered.Position = 0;
                input = buffered;
            }

            _ = processor.Run(input);
        }

        int utf8Copies = utf8.CountCopies();
        int utf16Copies = utf16.CountCopies();
        Console.WriteLine($"copies: utf8 {utf8Copies} utf16 {utf16Copies}");
        GC.KeepAlive(kept);
        return 0;
    }

    private static int Report(int copies, List<IDisposable> kept)
    {
        Console.WriteLine($"copies: {copies}");
        GC.KeepAlive(kept);
        return 0;
    }
}
