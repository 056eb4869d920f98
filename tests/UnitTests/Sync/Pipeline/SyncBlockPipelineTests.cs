using System.Collections.Concurrent;
using PasswordHashSync.Sync.Pipeline;

namespace PasswordHashSync.UnitTests.Sync.Pipeline;

/// <summary>
/// The stage engine every sync runs (<see cref="SyncBlockPipeline{TPiece, TPlan}"/>), with counting plans: source
/// order over many blocks, a failure in each stage surfacing as itself with every plan made disposed, a segment's
/// all-or-nothing planning, a plan that waits for the consumer, and cancellation stopping every stage. Both ways of
/// running (consumer on the caller's thread, or awaited) are covered.
/// </summary>
public sealed class SyncBlockPipelineTests
{
    public static TheoryData<string, bool> FailingStages => new()
    {
        { "produce", false }, { "produce", true },
        { "plan", false }, { "plan", true },
        { "digest", false }, { "digest", true },
        { "consume", false }, { "consume", true },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pieces_reach_the_consumer_in_source_order_over_many_blocks(bool awaited)
    {
        var ledger = new Ledger();
        var consumed = new List<int>();
        SyncBlockPipeline<TestPiece, CountingPlan> pipeline = ledger.Pipeline(Pieces(600, segmentEvery: 3), planned =>
        {
            using (planned.Plan)
            {
                Assert.True(planned.Plan.Digested, $"piece {planned.Piece.Index} reached the consumer without digests");
                consumed.Add(planned.Piece.Index);
            }
        });
        await RunAsync(pipeline, awaited);

        Assert.Equal(Enumerable.Range(0, 600), consumed);
        Assert.Equal(Enumerable.Range(0, 600), ledger.PlannedOrder);
        Assert.Equal(Enumerable.Range(0, 600), ledger.DigestedOrder);

        // Blocks of about 7 users made of whole segments: many digest calls, none holding all users, none splitting a segment.
        Assert.True(ledger.DigestCalls > 100, $"{ledger.DigestCalls} digest calls");
        Assert.All(ledger.BlockSizes.SkipLast(1), size => Assert.InRange(size, 7, 6 + 5));
        ledger.AssertEveryPlanDisposed(600);
    }

    [Theory]
    [MemberData(nameof(FailingStages))]
    public async Task A_failure_in_a_stage_is_the_exception_thrown_and_every_plan_made_is_disposed(string stage, bool awaited)
    {
        var ledger = new Ledger { FailingStage = stage, FailAt = 150 };
        var consumed = new List<int>();
        SyncBlockPipeline<TestPiece, CountingPlan> pipeline = ledger.Pipeline(Pieces(400, segmentEvery: 1), planned =>
        {
            using (planned.Plan)
            {
                if (stage == "consume" && planned.Piece.Index == ledger.FailAt)
                {
                    throw new InvalidOperationException("consume failed");
                }

                consumed.Add(planned.Piece.Index);
            }
        });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(pipeline, awaited));
        Assert.Equal($"{stage} failed", failure.Message);
        Assert.Equal(Enumerable.Range(0, consumed.Count), consumed);
        Assert.True(consumed.Count <= ledger.FailAt, $"{consumed.Count} consumed past the failure");
        if (stage == "produce")
        {
            // The later stages finish what was read before the source failed, as a sequential run would.
            Assert.Equal(ledger.FailAt, consumed.Count);
        }

        ledger.AssertEveryPlanDisposed(ledger.Created.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_plan_failing_inside_a_segment_sends_none_of_that_segment(bool awaited)
    {
        // Segments of 5 pieces; the plan of piece 17 fails: segments 0-2 (pieces 0-14) are consumed, 15 and 16 are not.
        var ledger = new Ledger { FailingStage = "plan", FailAt = 17, BlockUsers = 1 };
        var consumed = new List<int>();
        SyncBlockPipeline<TestPiece, CountingPlan> pipeline = ledger.Pipeline(Pieces(40, segmentEvery: 5), planned =>
        {
            using (planned.Plan)
            {
                consumed.Add(planned.Piece.Index);
            }
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(pipeline, awaited));
        Assert.Equal(Enumerable.Range(0, 15), consumed);
        Assert.Equal(17, ledger.Created.Count);
        ledger.AssertEveryPlanDisposed(17);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_plan_that_waits_for_the_consumer_first_sends_the_block_planned_so_far(bool awaited)
    {
        // The block size is never reached: without the send before the wait, piece 9 would wait for ever for piece 8,
        // which would sit in the planner's unsent block (the wait is bounded so a broken engine fails instead of hanging).
        var ledger = new Ledger { BlockUsers = 1_000_000 };
        var eighthConsumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ledger.WaitBeforePlanning = index => index == 9 ? eighthConsumed.Task.WaitAsync(TimeSpan.FromMinutes(2)) : null;
        var consumed = new List<int>();
        SyncBlockPipeline<TestPiece, CountingPlan> pipeline = ledger.Pipeline(Pieces(20, segmentEvery: 1), planned =>
        {
            using (planned.Plan)
            {
                consumed.Add(planned.Piece.Index);
                if (planned.Piece.Index == 8)
                {
                    eighthConsumed.SetResult();
                }
            }
        });

        await RunAsync(pipeline, awaited);
        Assert.Equal(Enumerable.Range(0, 20), consumed);
        ledger.AssertEveryPlanDisposed(20);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancellation_stops_every_stage_of_an_endless_source(bool awaited)
    {
        using var cancel = new CancellationTokenSource();
        var ledger = new Ledger();
        int consumed = 0;
        SyncBlockPipeline<TestPiece, CountingPlan> pipeline = ledger.Pipeline(Endless(ledger), planned =>
        {
            using (planned.Plan)
            {
                if (++consumed == 300)
                {
                    cancel.Cancel();
                }
            }
        });

        // Returns only once every stage has ended: the endless producer, the planner and the digest stage stopped.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(pipeline, awaited, cancel.Token));
        Assert.True(ledger.ProducerEnded);
        Assert.InRange(consumed, 300, 301);
        ledger.AssertEveryPlanDisposed(ledger.Created.Count);
    }

    private static Task RunAsync(SyncBlockPipeline<TestPiece, CountingPlan> pipeline, bool awaited, CancellationToken cancellationToken = default) =>
        awaited ? pipeline.RunAsync(cancellationToken) : Task.Run(() => pipeline.Run(cancellationToken), CancellationToken.None);

    private static IEnumerable<TestPiece> Pieces(int count, int segmentEvery) =>
        Enumerable.Range(0, count).Select(i => new TestPiece(i, i % 5 + 1, i % segmentEvery == segmentEvery - 1 || i == count - 1));

    private static IEnumerable<TestPiece> Endless(Ledger ledger)
    {
        try
        {
            for (int i = 0; ; i++)
            {
                yield return new TestPiece(i, 3, EndsSegment: true);
            }
        }
        finally
        {
            ledger.ProducerEnded = true;
        }
    }

    /// <summary>A piece of <paramref name="UserCount"/> users.</summary>
    public sealed record TestPiece(int Index, int UserCount, bool EndsSegment) : ISyncPipelinePiece;

    /// <summary>A plan that counts its disposals.</summary>
    public sealed class CountingPlan(int index) : IDisposable
    {
        private int _disposals;

        public int Index { get; } = index;

        public bool Digested { get; set; }

        public int Disposals => Volatile.Read(ref _disposals);

        public void Dispose() => Interlocked.Increment(ref _disposals);
    }

    /// <summary>What the stages did, and where one fails.</summary>
    private sealed class Ledger
    {
        public string? FailingStage { get; init; }

        public int FailAt { get; init; } = -1;

        public int BlockUsers { get; init; } = 7;

        public Func<int, Task?>? WaitBeforePlanning { get; set; }

        public ConcurrentQueue<CountingPlan> Created { get; } = new();

        public List<int> PlannedOrder { get; } = [];

        public List<int> DigestedOrder { get; } = [];

        public List<int> BlockSizes { get; } = [];

        public int DigestCalls => BlockSizes.Count;

        public bool ProducerEnded { get; set; }

        public SyncBlockPipeline<TestPiece, CountingPlan> Pipeline(IEnumerable<TestPiece> pieces, Action<SyncPlannedPiece<TestPiece, CountingPlan>> consume) => new()
        {
            Produce = async (writer, _) =>
            {
                foreach (TestPiece piece in pieces)
                {
                    if (FailingStage == "produce" && piece.Index == FailAt)
                    {
                        throw new InvalidOperationException("produce failed");
                    }

                    // Alternately blocking and asynchronous writes: both ways into the queue.
                    if (piece.Index % 2 == 0)
                    {
                        writer.Write(piece);
                    }
                    else
                    {
                        await writer.WriteAsync(piece);
                    }
                }
            },
            Plan = PlanAsync,
            ComputeDigests = (plans, _) =>
            {
                BlockSizes.Add(plans.Sum(p => (p.Index % 5) + 1));
                if (FailingStage == "digest" && plans.Any(p => p.Index == FailAt))
                {
                    throw new InvalidOperationException("digest failed");
                }

                foreach (CountingPlan plan in plans)
                {
                    plan.Digested = true;
                    DigestedOrder.Add(plan.Index);
                }
            },
            Consume = (planned, _) =>
            {
                consume(planned);
                return ValueTask.CompletedTask;
            },
            BlockUsers = BlockUsers,
            PieceQueueLength = 3,
            BlockQueueLength = 2,
            Name = "test",
        };

        public void AssertEveryPlanDisposed(int expected)
        {
            Assert.Equal(expected, Created.Count);
            Assert.All(Created, plan => Assert.True(plan.Disposals >= 1, $"the plan of piece {plan.Index} was never disposed"));
        }

        private async ValueTask<CountingPlan> PlanAsync(TestPiece piece, CancellationToken cancellationToken)
        {
            if (WaitBeforePlanning?.Invoke(piece.Index) is Task wait)
            {
                await wait.WaitAsync(cancellationToken);
            }

            if (FailingStage == "plan" && piece.Index == FailAt)
            {
                throw new InvalidOperationException("plan failed");
            }

            PlannedOrder.Add(piece.Index);
            var plan = new CountingPlan(piece.Index);
            Created.Enqueue(plan);
            return plan;
        }
    }
}
