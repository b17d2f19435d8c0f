using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        return x;
    }

    /// <summary>Options, the backlog and the in-memory store (unless a database store is registered).</summary>
    public static IServiceCollection AddAdmissionServices(this IServiceCollection services)
    {
        services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.Section);
        services.TryAddSingleton<AdmissionBacklog>();
        services.TryAddSingleton<IAdmissionStore, InMemoryAdmissionStore>();
        return services;
    }
}
