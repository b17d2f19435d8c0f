using MassTransit;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Worker;

/// <summary>
/// Publishes NodeHeartbeat every interval while an attempt runs. Disposing it stops the loop and
/// waits for it, so no heartbeat can follow the attempt's result.
/// </summary>
internal sealed class HeartbeatPublisher : IAsyncDisposable
{
    /// <summary>Three missed heartbeats, not one, before the coordinator may presume the worker lost.</summary>
    public const int LeaseIntervals = 3;

    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    private HeartbeatPublisher(ConsumeContext<ExecuteNode> context, string workerId, TimeSpan interval, TimeProvider time, ILogger logger, CancellationToken attemptToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(attemptToken);
        _loop = Run(context, workerId, interval, time, logger, _stop.Token);
    }

    public static HeartbeatPublisher Start(ConsumeContext<ExecuteNode> context, string workerId, TimeSpan interval, TimeProvider time, ILogger logger, CancellationToken attemptToken) =>
        new(context, workerId, interval, time, logger, attemptToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static async Task Run(ConsumeContext<ExecuteNode> context, string workerId, TimeSpan interval, TimeProvider time, ILogger logger, CancellationToken stop)
    {
        var message = context.Message;
        using var timer = new PeriodicTimer(interval, time);
        try
        {
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
                        WorkerId = workerId,
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
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped with the attempt.
        }
    }
}
