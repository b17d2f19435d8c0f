namespace Workflow.Messaging.Contracts;

/// <summary>A long attempt is still alive; extends the node's lease.</summary>
public sealed record NodeHeartbeat
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>Attempt number.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fan-out item index.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>The worker that runs it.</summary>
    public required string WorkerId { get; init; }

    /// <summary>How long the lease is extended from now.</summary>
    public required TimeSpan LeaseExtension { get; init; }
}
