using MassTransit;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Worker;

/// <summary>
/// Tells the coordinator's attempt tracker that a long attempt is alive: NodeStarted once the attempt
/// has run for the announcement delay, then NodeHeartbeat every interval. An attempt that ends sooner
/// announces nothing: most attempts take milliseconds, and for them the start would cost a broker
/// message and a tracker write each only to be ended by the result right after (a worker that dies
/// that early leaves its ExecuteNode unacknowledged, and the broker hands it to another worker).
/// Disposing it stops the loop and waits for it, so no signal can follow the attempt's result.
/// </summary>
internal sealed class HeartbeatPublisher : IAsyncDisposable
{
    /// <summary>Three missed heartbeats, not one, before the coordinator may presume the worker lost.</summary>
    public const int LeaseIntervals = 3;

    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;
    private int _announced;

    private HeartbeatPublisher(ConsumeContext<ExecuteNode> context, NodeStarted start, WorkerOptions options, TimeProvider time, ILogger logger,
        CancellationToken attemptToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(attemptToken);
        _loop = Run(context, start, options, time, logger, _stop.Token);
    }

    /// <summary>
    /// True once the NodeStarted was handed to the broker, or was being handed when the attempt ended
    /// (it may have arrived): the result then says so, and the coordinator ends the tracker's row.
    /// </summary>
    public bool Announced => Volatile.Read(ref _announced) == 1;

    public static HeartbeatPublisher Start(ConsumeContext<ExecuteNode> context, NodeStarted start, WorkerOptions options, TimeProvider time, ILogger logger,
        CancellationToken attemptToken) =>
        new(context, start, options, time, logger, attemptToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task Run(ConsumeContext<ExecuteNode> context, NodeStarted start, WorkerOptions options, TimeProvider time, ILogger logger, CancellationToken stop)
    {
        var message = context.Message;
        var interval = options.HeartbeatInterval;
        try
        {
            if (options.StartAnnouncementDelay > TimeSpan.Zero)
            {
                // Most attempts end within the delay: that ending is the common case, not an error,
                // so it returns instead of throwing (an exception per node was measurable CPU).
                await Task.Delay(options.StartAnnouncementDelay, time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested)
                    return;
            }
            Volatile.Write(ref _announced, 1);
            await ResultPublisher.PublishUntilAccepted(token => context.Publish(start, token),
                $"NodeStarted of {message.NodeId} (execution {message.ExecutionId}, attempt {message.Attempt})", options.PublishTimeout, logger, stop);

            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    // Bounded by the interval: a heartbeat later than the next one is worth nothing.
                    await BoundedSend.Within(interval, token => context.Publish(new NodeHeartbeat
                    {
                        ExecutionId = message.ExecutionId,
                        NodeId = message.NodeId,
                        Attempt = message.Attempt,
                        ItemIndex = message.ItemIndex,
                        WorkerId = start.WorkerId,
                        LeaseExtension = interval * LeaseIntervals,
                    }, token), stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A lost heartbeat only shortens the lease; the attempt itself goes on.
                    logger.LogWarning(e, "Heartbeat of {NodeId} (execution {ExecutionId}) was not published", message.NodeId, message.ExecutionId);
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Stopped with the attempt (a publish in flight may fail with its own exception then).
        }
    }
}
