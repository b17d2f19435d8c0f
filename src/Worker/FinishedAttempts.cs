using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Worker;

/// <summary>
/// Results of attempts this worker finished but could not hand to the broker before MassTransit cancelled their
/// consume. A broker restart or a dropped connection closes the channel the ExecuteNode came on, and MassTransit
/// then cancels every consume of that channel at once: the result, already computed, would be thrown away with it,
/// and the execution would depend on the broker redelivering the ExecuteNode and a worker running the node a second
/// time. Instead the result is handed over here: it is published from the bus (not the dead consume) until the
/// broker accepts it, and a redelivered ExecuteNode of the same attempt re-publishes it instead of running the node
/// again. The consume itself still ends unacknowledged, so the broker keeps the ExecuteNode until a result is
/// out even if this process dies.
/// </summary>
public sealed class FinishedAttempts(IBus bus, IOptions<WorkerOptions> options, TimeProvider time, ILogger<FinishedAttempts> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Finished> _results = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The result of an attempt finished here (by idempotency key), while it is remembered.</summary>
    public bool TryGet(ExecuteNode message, out object report)
    {
        if (_results.TryGetValue(message.IdempotencyKey, out var finished) && finished.At + options.Value.FinishedAttemptMemory > time.GetUtcNow())
        {
            report = finished.Report;
            return true;
        }

        report = null!;
        return false;
    }

    /// <summary>Takes over the publishing of a result whose consume was cancelled before the broker accepted it.</summary>
    public void HandOver(ExecuteNode message, object report)
    {
        Forget(time.GetUtcNow() - options.Value.FinishedAttemptMemory);
        var publishing = Task.Run(() => PublishUntilAccepted(message, report));
        _results[message.IdempotencyKey] = new Finished(report, time.GetUtcNow(), publishing);
    }

    private async Task PublishUntilAccepted(ExecuteNode message, object report)
    {
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        expiry.CancelAfter(options.Value.FinishedAttemptMemory);
        try
        {
            await ResultPublisher.PublishUntilAccepted(token => bus.Publish(report, token),
                $"{report.GetType().Name} of {message.NodeId} (execution {message.ExecutionId}, attempt {message.Attempt}), handed over after its consume was cancelled",
                options.Value.PublishTimeout, logger, expiry.Token);
            logger.LogInformation("{Report} of {NodeId} (execution {ExecutionId}, attempt {Attempt}) was published after its consume was cancelled",
                report.GetType().Name, message.NodeId, message.ExecutionId, message.Attempt);
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested)
        {
            // The host stops, or the result is older than anyone waits for: a redelivery runs the node again.
        }
    }

    private void Forget(DateTimeOffset olderThan)
    {
        foreach (var (key, finished) in _results)
        {
            if (finished.At < olderThan)
                _results.TryRemove(key, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_results.Values.Select(f => f.Publishing));
        _stopping.Dispose();
    }

    private sealed record Finished(object Report, DateTimeOffset At, Task Publishing);
}
