namespace Workflow.Messaging.Contracts;

/// <summary>One node (or fan-out item) changing state.</summary>
public sealed record NodeTransition
{
    /// <summary>Node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>Fan-out item index.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>New state.</summary>
    public required NodeStatus Status { get; init; }

    /// <summary>Attempt number.</summary>
    public int Attempt { get; init; }

    /// <summary>Error message when the transition is a failure or a retry.</summary>
    public string? Error { get; init; }
}
