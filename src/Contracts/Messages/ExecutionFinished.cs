namespace Workflow.Messaging.Contracts;

/// <summary>
/// Implemented by every terminal execution event, so a watcher subscribes once
/// (MassTransit publishes each event to its interfaces' exchanges too).
/// </summary>
public interface ExecutionFinished
{
    /// <summary>The execution.</summary>
    Guid ExecutionId { get; }

    /// <summary>The terminal status.</summary>
    ExecutionStatus Status { get; }

    /// <summary>UTC end.</summary>
    DateTime FinishedAt { get; }
}
