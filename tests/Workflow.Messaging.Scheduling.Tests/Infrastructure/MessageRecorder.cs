namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

public sealed record RecordedMessage(
    object Message,
    IReadOnlyDictionary<string, object?> Headers,
    Guid? SchedulingTokenId,
    DateTime ReceivedAt);

/// <summary>Collects what the test endpoints receive and lets a test await a condition instead of sleeping.</summary>
public sealed class MessageRecorder
{
    readonly object _gate = new();
    readonly List<RecordedMessage> _messages = [];
    TaskCompletionSource _changed = NewSignal();

    public void Record(RecordedMessage message)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _messages.Add(message);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.SetResult();
    }

    public IReadOnlyList<RecordedMessage> Received
    {
        get
        {
            lock (_gate)
                return [.. _messages];
        }
    }

    public async Task<RecordedMessage> WaitFor<T>(Func<T, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _messages.FirstOrDefault(recorded => recorded.Message is T message && match(message));
                if (found is not null)
                    return found;
                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} matching the condition arrived within {timeout}.");
            }
        }
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
