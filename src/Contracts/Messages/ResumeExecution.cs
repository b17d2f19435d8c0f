namespace Workflow.Messaging.Contracts;

/// <summary>Resumes a paused execution: dispatches what became ready meanwhile.</summary>
public sealed record ResumeExecution
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>Who asked, for the audit trail.</summary>
    public string? RequestedBy { get; init; }
}
