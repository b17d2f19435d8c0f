using MassTransit;
using Workflow.Messaging.Scheduling.Tests.Infrastructure;

namespace Workflow.Messaging.Scheduling.Tests.Reminders;

/// <summary>The smallest machine that schedules and unschedules, the way the Coordinator's timeouts do.</summary>
public sealed class ReminderStateMachine : MassTransitStateMachine<ReminderState>
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    public ReminderStateMachine(MessageRecorder recorder)
    {
        Event(() => Started, e => e.CorrelateById(context => context.Message.ReminderId));
        Event(() => Stopped, e => e.CorrelateById(context => context.Message.ReminderId));
        Schedule(() => Reminder, state => state.ReminderTokenId, schedule =>
        {
            schedule.Delay = Delay;
            schedule.Received = e => e.CorrelateById(context => context.Message.ReminderId);
        });

        InstanceState(state => state.CurrentState);

        Initially(
            When(Started)
                .Schedule(Reminder, context => new ReminderElapsed { ReminderId = context.Saga.CorrelationId })
                .TransitionTo(Waiting));

        During(Waiting,
            When(Reminder!.Received)
                .Then(context => recorder.Record(new RecordedMessage(
                    context.Message,
                    new Dictionary<string, object?>(),
                    context.GetSchedulingTokenId(),
                    DateTime.UtcNow)))
                .TransitionTo(Reminded),
            When(Stopped)
                .Unschedule(Reminder)
                .TransitionTo(Cancelled));
    }

    public State Waiting { get; private set; } = null!;
    public State Reminded { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<StartReminder> Started { get; private set; } = null!;
    public Event<StopReminder> Stopped { get; private set; } = null!;
    public Schedule<ReminderState, ReminderElapsed> Reminder { get; private set; } = null!;
}
