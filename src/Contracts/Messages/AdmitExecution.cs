namespace Workflow.Messaging.Contracts;

/// <summary>
/// Sent by admission to a queued execution: the slots of every limit that applies to it are now
/// held in its name, so it may run. Ignored unless the execution is queued (and then its slots are
/// given back).
/// </summary>
public sealed record AdmitExecution
{
    /// <summary>The execution.</summary>
    public required Guid ExecutionId { get; init; }

    /// <summary>UTC time the slots were claimed.</summary>
    public required DateTime AdmittedAt { get; init; }
}
