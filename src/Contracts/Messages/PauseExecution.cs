namespace Workflow.Messaging.Contracts;

/// <summary>Stops dispatching new nodes; running nodes finish and are recorded; timers are held.</summary>
public sealed record PauseExecution
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Who asked, for the audit trail.</summary>
    public string? RequestedBy { get; init; }
}
