using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// The full-sync pipeline of <c>pwsync sync</c>: read a block of users, plan it (<see cref="SyncPlanner.PlanBlock"/>),
/// compute its salted digests with the batch engine (<see cref="SyncPlan.ComputeDigests"/>, all cores), hand its
/// decisions to the consumer in source order. The stages run at the same time, joined by bounded channels, so a slow
/// stage holds the others back (back-pressure) and at most a few blocks are in memory whatever the directory size.
/// The stages are dedicated threads joined by bounded blocking queues (see <see cref="Run"/>).
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
    /// <remarks>
    /// The reader and the planner each run on a thread of their own and the consumer on the caller's: each is busy
    /// for the whole run, and a dedicated thread that blocks on a full or empty queue sleeps in the kernel, where
    /// async stages on the thread pool had idle pool workers spinning for the next continuation at every handoff (16 %
    /// of the CPU in a trace). The digest stage runs on a thread too and spreads each block over the cores
    /// (<see cref="SyncPlan.ComputeDigests"/>, the thread pool).
    /// </remarks>
    public static void Run(IEnumerable<DirectoryUser> users, SyncPlanner planner, PasswordHashSyncSettings settings, Action<DirectoryUser, SyncDecision> consume, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(consume);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        settings.Validate();
        using var stop = new CancellationTokenSource();
        using var read = new BlockingCollection<List<DirectoryUser>>(Capacity);
        using var planned = new BlockingCollection<Block>(Capacity);
        using var digested = new BlockingCollection<Block>(Capacity);
        var failures = new Exception?[3];
        Thread[] stages =
        [
            Start("pwsync read", 0, () => Read(users, blockSize, read, stop.Token)),
            Start("pwsync plan", 1, () => Plan(planner, settings, read, planned, stop.Token)),
            Start("pwsync digest", 2, () => Digest(planned, digested, stop.Token)),
        ];
        Exception? consumerFailure = null;
        try
        {
            Consume(digested, consume, stop.Token);
        }
        catch (Exception e)
        {
            consumerFailure = e;
        }

        // Any failure stops every stage: a stage blocked on a queue wakes up canceled.
        stop.Cancel();
        foreach (Thread stage in stages)
        {
            stage.Join();
        }

        DrainAndDispose(planned, digested);
        foreach (Exception? failure in failures)
        {
            if (failure is not null and not OperationCanceledException)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }

        if (consumerFailure is not null)
        {
            ExceptionDispatchInfo.Throw(consumerFailure);
        }

        Thread Start(string name, int index, Action stage)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    stage();
                }
                catch (Exception e)
                {
                    failures[index] = e;
                    stop.Cancel();
                }
            })
            {
                IsBackground = true,
                Name = name,
            };
            thread.Start();
            return thread;
        }
    }

    private static void Read(IEnumerable<DirectoryUser> users, int blockSize, BlockingCollection<List<DirectoryUser>> output, CancellationToken cancellationToken)
    {
        try
        {
            var block = new List<DirectoryUser>(blockSize);
            foreach (DirectoryUser user in users)
            {
                block.Add(user);
                if (block.Count == blockSize)
                {
                    output.Add(block, cancellationToken);
                    block = new List<DirectoryUser>(blockSize);
                }
            }

            if (block.Count > 0)
            {
                output.Add(block, cancellationToken);
            }
        }
        finally
        {
            output.CompleteAdding();
        }
    }

    private static void Plan(SyncPlanner planner, PasswordHashSyncSettings settings, BlockingCollection<List<DirectoryUser>> input, BlockingCollection<Block> output, CancellationToken cancellationToken)
    {
        try
        {
            foreach (List<DirectoryUser> users in input.GetConsumingEnumerable(cancellationToken))
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

                Pass(new Block(users, plan), output, cancellationToken);
            }
        }
        finally
        {
            output.CompleteAdding();
        }
    }

    private static void Digest(BlockingCollection<Block> input, BlockingCollection<Block> output, CancellationToken cancellationToken)
    {
        try
        {
            foreach (Block block in input.GetConsumingEnumerable(cancellationToken))
            {
                try
                {
                    block.Plan.ComputeDigests(cancellationToken: cancellationToken);
                }
                catch
                {
                    block.Plan.Dispose();
                    throw;
                }

                Pass(block, output, cancellationToken);
            }
        }
        finally
        {
            output.CompleteAdding();
        }
    }

    // Hands a block on; a block that cannot be handed on (canceled) is disposed here, its secrets zeroed.
    private static void Pass(Block block, BlockingCollection<Block> output, CancellationToken cancellationToken)
    {
        try
        {
            output.Add(block, cancellationToken);
        }
        catch
        {
            block.Plan.Dispose();
            throw;
        }
    }

    private static void Consume(BlockingCollection<Block> input, Action<DirectoryUser, SyncDecision> consume, CancellationToken cancellationToken)
    {
        foreach (Block block in input.GetConsumingEnumerable(cancellationToken))
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

    private static void DrainAndDispose(params BlockingCollection<Block>[] queues)
    {
        foreach (BlockingCollection<Block> queue in queues)
        {
            while (queue.TryTake(out Block? block))
            {
                block.Plan.Dispose();
            }
        }
    }

    /// <summary>One block of users with its plan.</summary>
    private sealed record Block(List<DirectoryUser> Users, SyncPlan Plan);
}
