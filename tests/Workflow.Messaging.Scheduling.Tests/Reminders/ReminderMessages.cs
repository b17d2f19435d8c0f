namespace Workflow.Messaging.Scheduling.Tests.Reminders;

public sealed record StartReminder
{
    public required Guid ReminderId { get; init; }
}

public sealed record StopReminder
{
    public required Guid ReminderId { get; init; }
}

public sealed record ReminderElapsed
{
    public required Guid ReminderId { get; init; }
}
