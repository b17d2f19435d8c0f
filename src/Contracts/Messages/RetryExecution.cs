namespace Workflow.Messaging.Contracts;

/// <summary>Restarts a failed, cancelled or timed-out execution from its failed and unfinished nodes; succeeded nodes keep their outputs.</summary>
public sealed record RetryExecution
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Who asked, for the audit trail.</summary>
    public string? RequestedBy { get; init; }
}
