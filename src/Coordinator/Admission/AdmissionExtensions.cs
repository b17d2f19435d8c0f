using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflow.Messaging.Coordinator.Admission.Pools;

namespace Workflow.Messaging.Coordinator.Admission;

public static class AdmissionExtensions
{
    /// <summary>
    /// The admission consumer (<c>workflow-admission</c>) and the sweeper. The store comes from the
    /// persistence registration, or is the in-memory one without a database.
    /// </summary>
    public static IBusRegistrationConfigurator AddAdmission(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<CheckAdmissionConsumer, CheckAdmissionConsumerDefinition>();
        x.AddConsumer<NodeAdmissionConsumer, NodeAdmissionConsumerDefinition>();
        x.TryAddSingleton<AdmissionSweeper>();
        x.AddHostedService(sp => sp.GetRequiredService<AdmissionSweeper>());
        x.TryAddSingleton<PoolDepthMonitor>();
        x.AddHostedService(sp => sp.GetRequiredService<PoolDepthMonitor>());
        return x;
    }

    /// <summary>
    /// Options, the backlog, the pool gates and the in-memory store (unless a database store is
    /// registered). Pool depths are read by no one unless the transport registers a reader.
    /// </summary>
    public static IServiceCollection AddAdmissionServices(this IServiceCollection services)
    {
        services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.Section);
        services.TryAddSingleton<AdmissionBacklog>();
        services.TryAddSingleton<PoolGates>();
        services.TryAddSingleton<IPoolDepthReader, NoPoolDepthReader>();
        services.TryAddSingleton<IAdmissionStore, InMemoryAdmissionStore>();
        return services;
    }
}
