using System.Text.Json;

namespace Workflow.Messaging.Contracts;

/// <summary>The execution ended successfully.</summary>
public sealed record ExecutionSucceeded : ExecutionFinished
{
    /// <inheritdoc />
    public required Guid ExecutionId { get; init; }

    /// <inheritdoc />
    public ExecutionStatus Status => ExecutionStatus.Succeeded;

    /// <inheritdoc />
    public required DateTime FinishedAt { get; init; }

    /// <summary>Outputs of the end nodes (no outgoing connection) that succeeded, keyed by node id.</summary>
    public required JsonElement Outputs { get; init; }
}
