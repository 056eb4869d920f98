using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Cli.Output;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// What <c>pwsync replicate</c> does, apart from parsing its command line: replicate the domain (or one account) from
/// the DC and write one JSON line per account to a private file (0600, atomic) or standard output.
/// </summary>
internal static class ReplicateExecution
{
    /// <summary>Runs the replication.</summary>
    /// <param name="source">The DC connection options.</param>
    /// <param name="account">One sAMAccountName, or <see langword="null"/> for every account.</param>
    /// <param name="output">The output file, or <see langword="null"/> (or <c>-</c>) for standard output.</param>
    /// <param name="context">The streams.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="DataException">The password or the output file cannot be used.</exception>
    public static async Task<int> RunAsync(DirectorySourceOptions source, string? account, string? output, CliContext context, CancellationToken cancellationToken)
    {
        using NtlmCredential credential = source.CreateCredential(context.Input);
        AtomicPrivateFile? file = output is null or "-" ? null : AtomicPrivateFile.Create(output);
        try
        {
            using (var writer = new ReplicatedAccountJsonWriter(file?.Stream ?? context.Output))
            {
                try
                {
                    await using DrsReplicationClient client = await DrsReplicationClient.ConnectAsync(source.ToReplicationOptions(), credential, cancellationToken).ConfigureAwait(false);
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

                context.Error.WriteLine($"pwsync replicate: {writer.Count} account(s) from {source.Host}{(file is null ? string.Empty : " written to " + output)}");
            }

            file?.Commit();
            return ExitCodes.Ok;
        }
        finally
        {
            file?.Dispose();
        }
    }
}
