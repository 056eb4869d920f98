using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.Cli.Sync;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.Cli.Execution;

/// <summary>
/// What <c>pwsync replicate</c> does, apart from parsing its command line: replicate the domain (or one account) from
/// the DC and write one JSON line per account to a private file (0600, atomic) or standard output.
/// </summary>
internal static class ReplicateExecutor
{
    /// <summary>Runs the replication.</summary>
    /// <param name="source">The DC connection options.</param>
    /// <param name="account">One sAMAccountName, or <see langword="null"/> for every account.</param>
    /// <param name="output">The output file, or <see langword="null"/> (or <c>-</c>) for standard output.</param>
    /// <param name="context">The streams.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="DataException">The password or the output file cannot be used.</exception>
    public static int Run(DirectorySourceOptions source, string? account, string? output, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        using ReplicationCredential credential = source.CreateCredential(context);
        if (output is null or "-")
        {
            return ReplicateAsync(source, credential, account, context.Output, null, context).GetAwaiter().GetResult();
        }

        // Password equivalents: written whole, owner-only, and renamed into place only after a complete run.
        int code = ExitCodes.Ok;
        SecretFileWriter.WriteIf(output, "--output", stream =>
        {
            code = ReplicateAsync(source, credential, account, stream, output, context).GetAwaiter().GetResult();
            return code == ExitCodes.Ok;
        }, unbuffered: true);
        return code;
    }

    private static async Task<int> ReplicateAsync(DirectorySourceOptions source, ReplicationCredential credential, string? account, Stream stream, string? output, CliContext context)
    {
        CancellationToken cancellationToken = CancellationToken.None;
        using var writer = new ReplicatedAccountJsonWriter(stream);
        try
        {
            await using DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(source.ToReplicationOptions(), credential, cancellationToken).ConfigureAwait(false);
            if (DirectorySourceOptions.DescribeFallback(credential) is string fallback)
            {
                context.Error.WriteLine($"pwsync replicate: warning: {fallback}");
            }

            if (account is not null)
            {
                using ReplicatedAccount? one = await client.ReplicateAccountAsync(account, cancellationToken).ConfigureAwait(false);
                if (one is null)
                {
                    context.Error.WriteLine($"pwsync replicate: no account named {account} in {client.DomainNamingContext}");
                    return ExitCodes.DataError;
                }

                writer.Write(one);
            }
            else
            {
                await foreach (ReplicationChunk chunk in client.ReplicateAsync(null, cancellationToken).ConfigureAwait(false))
                {
                    using (chunk)
                    {
                        foreach (ReplicatedAccount replicated in chunk.Accounts)
                        {
                            writer.Write(replicated);
                        }
                    }
                }
            }
        }
        catch (ReplicationException e)
        {
            context.Error.WriteLine($"pwsync replicate: {e.Message}");
            return ExitCodes.DirectoryError;
        }
        catch (SupplementalCredentialsFormatException e)
        {
            throw new DataException($"an account's supplementalCredentials are malformed: {e.Message}");
        }

        context.Error.WriteLine($"pwsync replicate: {writer.Count} account(s) from {source.Host}{(output is null ? string.Empty : " written to " + output)}");
        return ExitCodes.Ok;
    }
}
