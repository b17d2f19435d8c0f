using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

public class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        Event(() => Started, x => x.CorrelateById(m => m.Message.CounterId));
        Event(() => Incremented, x => x.CorrelateById(m => m.Message.CounterId));

        InstanceState(x => x.CurrentState);

        Initially(
            When(Started)
                .Then(x => x.Saga.Target = x.Message.Target)
                .Publish(x => new CounterStarted(x.Saga.CorrelationId))
                .TransitionTo(Counting));

        During(Counting,
            When(Incremented)
                .Then(x => x.Saga.Counter++)
                .Then(x => x.GetPayload<DbContext>().Add(new CounterIncrement { CounterId = x.Saga.CorrelationId, Value = x.Saga.Counter }))
                .If(x => x.Saga.Counter >= x.Saga.Target, reached => reached
                    .Publish(x => new CounterReached(x.Saga.CorrelationId, x.Saga.Counter))
                    .TransitionTo(Reached)));

        During(Reached,
            When(Incremented)
                .Then(x => x.Saga.Counter++));

        // A second copy of a start changes nothing: what lets StartCounter go without an inbox row.
        During(Counting, Reached, Ignore(Started));
    }

    public State Counting { get; private set; } = null!;
    public State Reached { get; private set; } = null!;

    public Event<StartCounter> Started { get; private set; } = null!;
    public Event<IncrementCounter> Incremented { get; private set; } = null!;
}
