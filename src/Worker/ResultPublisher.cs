using MassTransit;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Worker;

/// <summary>
/// Publishes what an attempt reports (NodeStarted, NodeSucceeded, NodeFailed) so that a broker
/// outage neither loses the report nor wedges the worker. Each try is bounded: RabbitMQ.Client 7
/// can wait forever on a publisher confirm lost in a broker restart (rabbitmq-dotnet-client#1930).
/// A failed try is repeated with backoff until it is accepted or the host stops; the coordinator
/// ignores a second copy of a result by its attempt, so repeating is safe. Failing the consume
/// instead would move the ExecuteNode to the error queue and strand the execution until its lease
/// ran out.
/// </summary>
internal static class ResultPublisher
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(10);

    public static async Task PublishAsync<T>(ConsumeContext<ExecuteNode> context, T report, TimeSpan limit, ILogger logger)
        where T : class
    {
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await BoundedSend.Within(limit, token => context.Publish(report, token), context.CancellationToken);
                return;
            }
            catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "{Report} of {NodeId} (execution {ExecutionId}) was not published (try {Try}); trying again in {Backoff}",
                    typeof(T).Name, context.Message.NodeId, context.Message.ExecutionId, attempt, backoff);
                await Task.Delay(backoff, context.CancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
            }
        }
    }
}
