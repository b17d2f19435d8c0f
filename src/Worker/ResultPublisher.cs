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

    /// <summary>A report that could not be serialized: trying again cannot help, so it is not retried.</summary>
    public static bool IsUnserializable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            // MassTransit wraps the serializer's JsonException in its own SerializationException.
            if (e is System.Text.Json.JsonException || e.GetType().Name == "SerializationException")
                return true;
        return false;
    }

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
            catch (Exception e) when (!stop.IsCancellationRequested && !IsUnserializable(e))
            {
                logger.LogWarning(e, "{Report} was not published (try {Try}); trying again in {Backoff}", what, attempt, backoff);
                await Task.Delay(backoff, stop);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
            }
        }
    }
}
