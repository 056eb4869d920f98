using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The full-sync pipeline of <c>pwsync sync</c>: read a block of users, plan it (<see cref="SyncPlanner.PlanBlock"/>),
/// compute its salted digests with the batch engine (<see cref="SyncPlan.ComputeDigests"/>, all cores), hand its
/// decisions to the consumer in source order. The stages run at the same time, joined by bounded channels, so a slow
/// stage holds the others back (back-pressure) and at most a few blocks are in memory whatever the directory size.
/// </summary>
/// <remarks>
/// Order: every stage handles blocks first in, first out and one block at a time, so the consumer sees the users in
/// source order and the planner draws salts in that order (a seeded random source gives the single-operation bytes).
/// </remarks>
internal static class SyncPipeline
{
    /// <summary>Users per block: large enough for the batch engine's lanes on every core, small enough to stay flat.</summary>
    public const int DefaultBlockSize = 1024;

    /// <summary>Blocks waiting between two stages.</summary>
    private const int Capacity = 2;

    /// <summary>Runs the pipeline to the end.</summary>
    /// <param name="users">The users, already collapsed (one entry per user).</param>
    /// <param name="planner">The planner.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="consume">Receives each user with its decision, in order, on one thread; the decision is disposed after.</param>
    /// <param name="blockSize">Users per block.</param>
    /// <exception cref="DataException">The input is wrong (from the reader), or a decision failed on bad data.</exception>
    public static void Run(IEnumerable<DirectoryUser> users, SyncPlanner planner, PasswordHashSyncSettings settings, Action<DirectoryUser, SyncDecision> consume, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(consume);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        settings.Validate();
        using var stop = new CancellationTokenSource();
        var read = Channel.CreateBounded<List<DirectoryUser>>(Options());
        var planned = Channel.CreateBounded<Block>(Options());
        var digested = Channel.CreateBounded<Block>(Options());
        Task reader = Task.Run(() => ReadAsync(users, blockSize, read.Writer, stop.Token));
        Task planning = Task.Run(() => PlanAsync(planner, settings, read.Reader, planned.Writer, stop.Token));
        Task digesting = Task.Run(() => DigestAsync(planned.Reader, digested.Writer, stop.Token));
        Exception? consumerFailure = null;
        try
        {
            ConsumeAsync(digested.Reader, consume, stop.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            consumerFailure = e;
            stop.Cancel();
        }

        try
        {
            Task.WaitAll(reader, planning, digesting);
        }
        catch (AggregateException)
        {
            // Looked at below: a stage's own failure is the one to report.
        }

        DrainAndDispose(planned.Reader, digested.Reader);
        foreach (Task stage in (Task[])[reader, planning, digesting])
        {
            if (stage.Exception?.InnerException is Exception e && e is not OperationCanceledException)
            {
                ExceptionDispatchInfo.Throw(e);
            }
        }

        if (consumerFailure is not null)
        {
            ExceptionDispatchInfo.Throw(consumerFailure);
        }
    }

    private static BoundedChannelOptions Options() => new(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait };

    private static async Task ReadAsync(IEnumerable<DirectoryUser> users, int blockSize, ChannelWriter<List<DirectoryUser>> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var block = new List<DirectoryUser>(blockSize);
            foreach (DirectoryUser user in users)
            {
                block.Add(user);
                if (block.Count == blockSize)
                {
                    await output.WriteAsync(block, cancellationToken).ConfigureAwait(false);
                    block = new List<DirectoryUser>(blockSize);
                }
            }

            if (block.Count > 0)
            {
                await output.WriteAsync(block, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private static async Task PlanAsync(SyncPlanner planner, PasswordHashSyncSettings settings, ChannelReader<List<DirectoryUser>> input, ChannelWriter<Block> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (List<DirectoryUser> users in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                SyncPlan plan;
                try
                {
                    plan = planner.PlanBlock(users, settings);
                }
                catch (FormatException e)
                {
                    throw new DataException($"a user in the block from {users[0].DistinguishedName} to {users[^1].DistinguishedName}: {e.Message}");
                }

                try
                {
                    await output.WriteAsync(new Block(users, plan), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    plan.Dispose();
                    throw;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private static async Task DigestAsync(ChannelReader<Block> input, ChannelWriter<Block> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await foreach (Block block in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    block.Plan.ComputeDigests(cancellationToken: cancellationToken);
                    await output.WriteAsync(block, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    block.Plan.Dispose();
                    throw;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private static async Task ConsumeAsync(ChannelReader<Block> input, Action<DirectoryUser, SyncDecision> consume, CancellationToken cancellationToken)
    {
        await foreach (Block block in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            using (block.Plan)
            {
                IReadOnlyList<SyncDecision> decisions = block.Plan.Decisions;
                for (int i = 0; i < decisions.Count; i++)
                {
                    consume(block.Users[i], decisions[i]);
                }
            }
        }
    }

    private static void DrainAndDispose(params ChannelReader<Block>[] readers)
    {
        foreach (ChannelReader<Block> reader in readers)
        {
            while (reader.TryRead(out Block? block))
            {
                block.Plan.Dispose();
            }
        }
    }

    /// <summary>One block of users with its plan.</summary>
    private sealed record Block(List<DirectoryUser> Users, SyncPlan Plan);
}
