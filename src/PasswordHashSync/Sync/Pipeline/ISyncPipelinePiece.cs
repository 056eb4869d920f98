namespace PasswordHashSync.Sync.Pipeline;

/// <summary>What <see cref="SyncBlockPipeline{TPiece, TPlan}"/> needs to know of a piece its producer reads.</summary>
internal interface ISyncPipelinePiece
{
    /// <summary>How many users the piece holds (blocks for the batch engine are grouped by this count).</summary>
    int UserCount { get; }

    /// <summary>
    /// Whether the piece ends a segment: the pieces of one segment are planned wholly before any of them goes on to the
    /// digest stage, so a planning failure inside a segment sends none of it. A piece that is a segment of its own says
    /// <see langword="true"/>.
    /// </summary>
    bool EndsSegment { get; }
}

/// <summary>A piece and its plan, as the digest stage hands it to the consumer (digests computed).</summary>
/// <param name="Piece">The piece, as the producer wrote it.</param>
/// <param name="Plan">Its plan; the consumer owns it from the moment it is handed over.</param>
internal sealed record SyncPlannedPiece<TPiece, TPlan>(TPiece Piece, TPlan Plan)
    where TPiece : ISyncPipelinePiece
    where TPlan : class, IDisposable;
