namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

public sealed record ReminderDue
{
    public required Guid Id { get; init; }
    public required string Text { get; init; }
}

/// <summary>Scheduled after a cancelled message's due time: once it arrives, the cancelled one would have too.</summary>
public sealed record Sentinel
{
    public required Guid Id { get; init; }
}
