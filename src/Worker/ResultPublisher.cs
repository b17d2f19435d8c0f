using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.Worker;

/// <summary>
/// Publishes what an attempt reports (NodeStarted, NodeSucceeded, NodeFailed) so that a broker
/// outage neither loses the report nor wedges the worker. Each try is bounded: RabbitMQ.Client 7
/// can wait forever on a publisher confirm lost in a broker restart (rabbitmq-dotnet-client#1930).
/// A failed try is repeated with backoff until it is accepted or <paramref name="stop"/> fires; the
/// coordinator ignores a second copy of a result by its attempt, so repeating is safe. Failing the
/// consume instead would move the ExecuteNode to the error queue and strand the execution until its
/// lease ran out.
/// </summary>
internal static class ResultPublisher
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(10);

    public static async Task PublishUntilAccepted(Func<CancellationToken, Task> publish, string what, TimeSpan limit, ILogger logger, CancellationToken stop)
    {
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await BoundedSend.Within(limit, publish, stop);
                return;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                logger.LogWarning(e, "{Report} was not published (try {Try}); trying again in {Backoff}", what, attempt, backoff);
                await Task.Delay(backoff, stop);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
            }
        }
    }
}
