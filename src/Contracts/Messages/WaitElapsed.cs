namespace Workflow.Messaging.Contracts;

/// <summary>Scheduled to the coordinator: a <c>wait</c> node's timer or an <c>approval</c> node's deadline elapsed.</summary>
public sealed record WaitElapsed
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Node id.</summary>
    public required string NodeId { get; init; }

    /// <summary>The attempt the timer belongs to.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fan-out item index.</summary>
    public int? ItemIndex { get; init; }
}
