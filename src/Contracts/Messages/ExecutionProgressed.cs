namespace Workflow.Messaging.Contracts;

/// <summary>Node transitions of one coordinator step, batched so progress costs one message per step.</summary>
public sealed record ExecutionProgressed
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>The transitions, in the order they happened.</summary>
    public required IReadOnlyList<NodeTransition> Transitions { get; init; }

    /// <summary>UTC time of the step.</summary>
    public required DateTime At { get; init; }
}
