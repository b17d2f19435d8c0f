namespace Workflow.Messaging;

/// <summary>
/// A broker send with an upper bound. RabbitMQ.Client 7 can leave a publish waiting for a
/// publisher confirm that never comes when its connection drops (rabbitmq-dotnet-client#1930);
/// unbounded, that send would hold its consume, its partition and any transaction around it
/// forever. Bounded, it fails like any other send and the caller retries it.
/// </summary>
/// <remarks>
/// One source file compiled into Persistence, Scheduling, Worker and the bench (linked, internal
/// in each): those libraries stand in for MassTransit packages and share no project of ours.
/// </remarks>
internal static class BoundedSend
{
    public static async Task Within(TimeSpan limit, Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(limit);
        try
        {
            // The token cancels a send that honours it; WaitAsync abandons one that does not.
            await send(bound.Token).WaitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not confirm the send within {limit}.");
        }
    }
}
