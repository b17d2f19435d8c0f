using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>
/// Terminal events complete tracked executions. Subscribed by concrete type, not through the
/// ExecutionFinished interface: events re-sent by the durable outbox reach their own exchange
/// only, without the interface exchange's binding.
/// </summary>
internal sealed class FinishedWatcher(ExecutionTracker tracker) :
    IConsumer<ExecutionSucceeded>,
    IConsumer<ExecutionFailed>,
    IConsumer<ExecutionCancelled>,
    IConsumer<ExecutionTimedOut>,
    IConsumer<ExecutionRejected>
{
    public Task Consume(ConsumeContext<ExecutionSucceeded> context) => Record(context.Message);
    public Task Consume(ConsumeContext<ExecutionFailed> context) => Record(context.Message);
    public Task Consume(ConsumeContext<ExecutionCancelled> context) => Record(context.Message);
    public Task Consume(ConsumeContext<ExecutionTimedOut> context) => Record(context.Message);
    public Task Consume(ConsumeContext<ExecutionRejected> context) => Record(context.Message);

    private Task Record(ExecutionFinished finished)
    {
        tracker.Record(finished);
        return Task.CompletedTask;
    }
}

/// <summary>Against a fleet: joins dispatch steps with worker starts to measure queue wait.</summary>
internal sealed class DispatchWatcher(DispatchLatency latency) : IConsumer<ExecutionProgressed>, IConsumer<NodeStarted>
{
    public Task Consume(ConsumeContext<ExecutionProgressed> context)
    {
        latency.Progressed(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<NodeStarted> context)
    {
        latency.Started(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>In-process: sees each ExecuteNode as a worker takes it.</summary>
internal sealed class ExecuteNodeObserver(DispatchLatency latency, TimeProvider time) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is ExecuteNode command)
            latency.Observed(command, time.GetUtcNow().UtcDateTime);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
