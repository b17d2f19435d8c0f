namespace Workflow.Messaging.Coordinator.ProgressWatch;

/// <summary>
/// Marks on saga rows that say "someone watches this execution until then". A mark is written
/// through the saga row's lock (an UPDATE waits for a step in progress), so every step that commits
/// after <see cref="MarkAsync"/> returns sees it, and a snapshot read after it misses no step.
/// </summary>
public interface IProgressWatchMarks
{
    /// <summary>False where steps publish progress always (no row lock to order a mark against a step).</summary>
    bool MarksWatches { get; }

    /// <summary>Moves the execution's mark to <paramref name="until"/> unless it is later already; false if no such execution exists (yet).</summary>
    Task<bool> MarkAsync(Guid executionId, DateTime until, CancellationToken cancellationToken);
}

/// <summary>The embedded providers: nothing to mark, every step publishes.</summary>
public sealed class UnmarkedProgressWatches : IProgressWatchMarks
{
    public bool MarksWatches => false;

    public Task<bool> MarkAsync(Guid executionId, DateTime until, CancellationToken cancellationToken) => Task.FromResult(true);
}
