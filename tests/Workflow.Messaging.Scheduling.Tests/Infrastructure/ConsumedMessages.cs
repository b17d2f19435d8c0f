using System.Collections.Concurrent;
using MassTransit;

namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

/// <summary>
/// Completes a wait when the bus has finished consuming one message (by message id), or fails it with the consumer's
/// exception, so a test can go on exactly when a command has been handled.
/// </summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waits = new();

    /// <summary>Call before sending, so the consume cannot finish before anyone waits for it.</summary>
    public Task WaitFor(Guid messageId) => Wait(messageId).Task;

    TaskCompletionSource Wait(Guid messageId) =>
        _waits.GetOrAdd(messageId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } messageId)
            Wait(messageId).TrySetResult();
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.MessageId is { } messageId)
            Wait(messageId).TrySetException(exception);
        return Task.CompletedTask;
    }
}
