namespace Workflow.Messaging.Contracts;

/// <summary>Ends an execution as Cancelled: no more dispatch, timers dropped, running nodes told to stop.</summary>
public sealed record CancelExecution
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Why, shown in the execution's status.</summary>
    public string? Reason { get; init; }

    /// <summary>Who asked, for the audit trail.</summary>
    public string? RequestedBy { get; init; }
}
