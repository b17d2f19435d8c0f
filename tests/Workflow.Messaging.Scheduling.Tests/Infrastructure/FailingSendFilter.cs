using MassTransit;

namespace Workflow.Messaging.Scheduling.Tests.Infrastructure;

/// <summary>Fails the first sends to one queue, standing in for a broker that refuses them for a while.</summary>
public sealed class FailingSendFilter(Uri destination, int failuresBeforeSuccess) : IFilter<SendContext>
{
    readonly string _queueName = destination.AbsolutePath.Split(':', '/').Last();
    int _attempts;

    public int FailedSends => Math.Min(Volatile.Read(ref _attempts), failuresBeforeSuccess);

    public Task Send(SendContext context, IPipe<SendContext> next)
    {
        var toQueue = context.DestinationAddress?.AbsolutePath.EndsWith(_queueName, StringComparison.Ordinal) == true;
        if (toQueue && Interlocked.Increment(ref _attempts) <= failuresBeforeSuccess)
            throw new InvalidOperationException("Simulated broker refusal");

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("failingSend");
}
