using MassTransit;

namespace Workflow.Messaging.Persistence.Tests.Infrastructure;

/// <summary>
/// Holds a send forever when <see cref="ScriptedFaults"/> says so, ignoring its cancellation token:
/// what RabbitMQ.Client 7 does when a publisher confirm is lost in a broker restart.
/// </summary>
public sealed class HangingSendFilter(ScriptedFaults faults) : IFilter<SendContext>
{
    public async Task Send(SendContext context, IPipe<SendContext> next)
    {
        if (faults.TakeHang())
            await faults.HungSendsReleased;
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("hangingSend");
}
