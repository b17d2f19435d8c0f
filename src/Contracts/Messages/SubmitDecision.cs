namespace Workflow.Messaging.Contracts;

/// <summary>Answers a waiting <c>approval</c> node: it continues on its <c>approved</c> or <c>rejected</c> port.</summary>
public sealed record SubmitDecision
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>The approval node.</summary>
    public required string NodeId { get; init; }

    /// <summary>The decision.</summary>
    public required bool Approved { get; init; }

    /// <summary>Who decided.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>Free text kept in the node's output.</summary>
    public string? Comment { get; init; }
}
