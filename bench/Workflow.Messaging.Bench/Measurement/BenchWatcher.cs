using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>Terminal events complete tracked executions.</summary>
internal sealed class FinishedWatcher(ExecutionTracker tracker) : IConsumer<ExecutionFinished>
{
    public Task Consume(ConsumeContext<ExecutionFinished> context)
    {
        tracker.Record(context.Message);
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
