namespace Workflow.Messaging.Contracts;

/// <summary>Scheduled to the coordinator: the backoff of a failed attempt is over.</summary>
public sealed record NodeRetryDue
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>The attempt to run now; a timer for an attempt no longer expected is ignored.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fan-out item index.</summary>
    public int? ItemIndex { get; init; }
}
