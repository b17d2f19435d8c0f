using System.Collections.Concurrent;
using MassTransit;
using Workflow.Messaging.Persistence.Tests.CounterSaga;

namespace Workflow.Messaging.Persistence.Tests.Infrastructure;

/// <summary>Everything the outbox delivered to the observing consumer, by MessageId.</summary>
public sealed class ObservedMessages
{
    readonly ConcurrentQueue<(Guid MessageId, object Message)> _received = new();

    public void Add(Guid messageId, object message) => _received.Enqueue((messageId, message));

    public IReadOnlyList<T> Of<T>() => _received.Select(x => x.Message).OfType<T>().ToList();

    public int DistinctMessageIds => _received.Select(x => x.MessageId).Distinct().Count();

    public int Count => _received.Count;
}

public sealed class ObservingConsumer(ObservedMessages observed) :
    IConsumer<CounterStarted>,
    IConsumer<CounterReached>,
    IConsumer<OutboxProbe>
{
    public Task Consume(ConsumeContext<CounterStarted> context) => Record(context);

    public Task Consume(ConsumeContext<CounterReached> context) => Record(context);

    public Task Consume(ConsumeContext<OutboxProbe> context) => Record(context);

    Task Record<T>(ConsumeContext<T> context)
        where T : class
    {
        observed.Add(context.MessageId ?? Guid.Empty, context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>Subscribes to the interface only, on a queue of its own: sees what the interface's exchange routes.</summary>
public sealed class OutcomeSubscriber(ObservedMessages observed) : IConsumer<ICounterOutcome>
{
    public Task Consume(ConsumeContext<ICounterOutcome> context)
    {
        observed.Add(context.MessageId ?? Guid.Empty, new OutcomeSeen(context.Message.CounterId));
        return Task.CompletedTask;
    }
}

public sealed record OutcomeSeen(Guid CounterId);

/// <summary>Receives that failed as a whole, seen after the outbox rolled back.</summary>
public sealed class ReceiveFaults : IReceiveObserver
{
    readonly ConcurrentQueue<Exception> _faults = new();

    public IReadOnlyList<Exception> Faults => [.. _faults];

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        _faults.Enqueue(exception);
        return Task.CompletedTask;
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;
}
