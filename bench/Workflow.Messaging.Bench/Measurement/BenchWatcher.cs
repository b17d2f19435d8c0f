using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>
/// Terminal events complete tracked executions, with their message id so that a redelivered copy
/// is told apart from a second decision.
/// </summary>
internal sealed class FinishedWatcher(ExecutionTracker tracker) :
    IConsumer<ExecutionSucceeded>,
    IConsumer<ExecutionFailed>,
    IConsumer<ExecutionCancelled>,
    IConsumer<ExecutionTimedOut>,
    IConsumer<ExecutionRejected>
{
    public Task Consume(ConsumeContext<ExecutionSucceeded> context) => Record(context.Message, context.MessageId);
    public Task Consume(ConsumeContext<ExecutionFailed> context) => Record(context.Message, context.MessageId);
    public Task Consume(ConsumeContext<ExecutionCancelled> context) => Record(context.Message, context.MessageId);
    public Task Consume(ConsumeContext<ExecutionTimedOut> context) => Record(context.Message, context.MessageId);
    public Task Consume(ConsumeContext<ExecutionRejected> context) => Record(context.Message, context.MessageId);

    private Task Record(ExecutionFinished finished, Guid? messageId)
    {
        tracker.Record(finished, messageId);
        return Task.CompletedTask;
    }
}

/// <summary>Against a fleet: node results carry their dispatch and start times, the queue wait between them.</summary>
internal sealed class DispatchWatcher(DispatchLatency latency) : IConsumer<NodeSucceeded>, IConsumer<NodeFailed>
{
    public Task Consume(ConsumeContext<NodeSucceeded> context)
    {
        latency.Reported(context.Message.DispatchedAt, context.Message.StartedAt);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<NodeFailed> context)
    {
        latency.Reported(context.Message.DispatchedAt, context.Message.StartedAt);
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
