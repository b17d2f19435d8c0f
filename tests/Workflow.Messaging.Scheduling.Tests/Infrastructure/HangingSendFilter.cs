using MassTransit;

namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

/// <summary>
/// Holds the first send to one queue until released, ignoring its cancellation token: what
/// RabbitMQ.Client 7 does when a publisher confirm is lost in a broker restart.
/// </summary>
public sealed class HangingSendFilter(Uri destination) : IFilter<SendContext>, IDisposable
{
    readonly string _queueName = destination.AbsolutePath.Split(':', '/').Last();
    readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _hung;

    public int HungSends => Volatile.Read(ref _hung);

    public async Task Send(SendContext context, IPipe<SendContext> next)
    {
        var toQueue = context.DestinationAddress?.AbsolutePath.EndsWith(_queueName, StringComparison.Ordinal) == true;
        if (toQueue && Interlocked.CompareExchange(ref _hung, 1, 0) == 0)
            await _released.Task;
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("hangingSend");

    /// <summary>Lets the held send go, so stopping the bus does not wait for it.</summary>
    public void Dispose() => _released.TrySetResult();
}
