using MassTransit;

namespace Workflow.Messaging.Scheduling.Tests.Reminders;

public sealed class ReminderState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public Guid? ReminderTokenId { get; set; }
}
