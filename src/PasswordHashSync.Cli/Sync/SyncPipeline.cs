using PasswordHashSync.Cli.Arguments;
using PasswordHashSync.Directory;
using PasswordHashSync.Sync;
using PasswordHashSync.Sync.Pipeline;

namespace PasswordHashSync.Cli.Sync;

/// <summary>
/// What <c>pwsync sync</c> supplies to the library's block pipeline (<see cref="SyncBlockPipeline{TPiece, TPlan}"/>, the
/// one the runner uses too): the collapsed users cut into blocks, each planned by <see cref="SyncPlanner.PlanBlock"/>
/// (no remembered state: a directory export is one full sync), each block's decisions handed to the consumer in
/// source order on the caller's thread, the block's plan disposed (its secrets zeroed) after.
/// </summary>
/// <remarks>
/// The reader stays on the pipeline's producer thread (the input is read synchronously) and the consumer on the
/// caller's: each stage busy for the whole run on a thread that sleeps in the kernel when its queue is full or empty.
/// Two blocks wait between two stages, so at most a few thousand users are in memory whatever the directory size.
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
    /// <param name="consume">Receives each user with its decision, in order, on the caller's thread; the decision is disposed after.</param>
    /// <param name="blockSize">Users per block.</param>
    /// <exception cref="DataException">The input is wrong (from the reader), or a decision failed on bad data.</exception>
    /// <remarks>
    /// A failure stops the stages before the failing one; the later ones finish the blocks they hold (records to a file
    /// that is then not renamed into place) and the failure is thrown (<see cref="SyncBlockPipeline{TPiece, TPlan}"/>).
    /// </remarks>
    public static void Run(IEnumerable<DirectoryUser> users, SyncPlanner planner, PasswordHashSyncSettings settings, Action<DirectoryUser, SyncDecision> consume, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(consume);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        settings.Validate();
        new SyncBlockPipeline<UserBlock, SyncPlan>
        {
            Produce = (writer, _) =>
            {
                Read(users, blockSize, writer);
                return ValueTask.CompletedTask;
            },
            Plan = (block, _) => ValueTask.FromResult(Plan(planner, settings, block.Users)),
            ComputeDigests = SyncPlanDigests.Compute,
            Consume = (planned, _) =>
            {
                Consume(planned, consume);
                return ValueTask.CompletedTask;
            },
            BlockUsers = blockSize,
            PieceQueueLength = Capacity,
            BlockQueueLength = Capacity,
            Name = "pwsync",
        }.Run();
    }

    private static void Read(IEnumerable<DirectoryUser> users, int blockSize, SyncPieceWriter<UserBlock> writer)
    {
        var block = new List<DirectoryUser>(blockSize);
        foreach (DirectoryUser user in users)
        {
            block.Add(user);
            if (block.Count == blockSize)
            {
                writer.Write(new UserBlock(block));
                block = new List<DirectoryUser>(blockSize);
            }
        }

        if (block.Count > 0)
        {
            writer.Write(new UserBlock(block));
        }
    }

    private static SyncPlan Plan(SyncPlanner planner, PasswordHashSyncSettings settings, List<DirectoryUser> users)
    {
        try
        {
            return planner.PlanBlock(users, settings);
        }
        catch (FormatException e)
        {
            throw new DataException($"a user in the block from {users[0].DistinguishedName} to {users[^1].DistinguishedName}: {e.Message}");
        }
    }

    private static void Consume(SyncPlannedPiece<UserBlock, SyncPlan> planned, Action<DirectoryUser, SyncDecision> consume)
    {
        using (planned.Plan)
        {
            IReadOnlyList<SyncDecision> decisions = planned.Plan.Decisions;
            for (int i = 0; i < decisions.Count; i++)
            {
                consume(planned.Piece.Users[i], decisions[i]);
            }
        }
    }

    /// <summary>One block of users, as read: a segment of its own (no state links one block to another).</summary>
    private sealed record UserBlock(List<DirectoryUser> Users) : ISyncPipelinePiece
    {
        public int UserCount => Users.Count;

        public bool EndsSegment => true;
    }
}
