using MassTransit;
using Workflow.Messaging.Worker;

namespace Workflow.Messaging.Coordinator.Hosting;

public static class TransportHostingExtensions
{
    /// <summary>The bus: the embedded fleet unless configuration names a broker.</summary>
    public static IBusRegistrationConfigurator AddCoordinatorTransport(this IBusRegistrationConfigurator x, IConfiguration configuration) =>
        x.AddEmbeddedFleet();

    /// <summary>
    /// The embedded default: MassTransit's in-memory transport with its delayed scheduler, and
    /// workers for every pool hosted in this process. Nothing to install.
    /// </summary>
    public static IBusRegistrationConfigurator AddEmbeddedFleet(this IBusRegistrationConfigurator x)
    {
        x.AddWorkerConsumers();
        x.AddDelayedMessageScheduler();
        x.UsingInMemory((context, cfg) =>
        {
            cfg.UseDelayedMessageScheduler();
            cfg.ConfigureWorkerEndpoints(context);
            cfg.ConfigureEndpoints(context);
        });
        return x;
    }
}
