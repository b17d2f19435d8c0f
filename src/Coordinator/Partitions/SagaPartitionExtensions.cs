using MassTransit;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Partitions;

public static class SagaPartitionExtensions
{
    /// <summary>
    /// On RabbitMQ: the saga partitions when <see cref="CoordinatorOptions.Partitions"/> is set (their leases
    /// live in the coordinators' shared database, so the Memory provider cannot hold them), and in any case
    /// the saga's routing on the broker (<see cref="SagaRouting"/>).
    /// </summary>
    public static IBusRegistrationConfigurator AddSagaPartitions(this IBusRegistrationConfigurator services, CoordinatorOptions coordinator, PersistenceOptions persistence)
    {
        services.AddBusObserver<SagaRouting>();
        if (coordinator.Partitions <= 0)
            return services;
        if (persistence.Provider == PersistenceProvider.Memory)
            throw new InvalidOperationException(
                $"Coordinator:Partitions is {coordinator.Partitions}, but Persistence:Provider is Memory: partition leases are rows in the " +
                "coordinators' shared database. Use Postgres (or Sqlite for a single host), or set Coordinator:Partitions to 0.");
        services.AddSingleton(new SagaPartitions(coordinator.Partitions));
        services.AddSingleton(new PartitionStepLimit(coordinator.SagaConcurrencyLimit));
        services.AddSingleton<PartitionEndpoints>();
        services.AddSingleton<PartitionBalancer>();
        services.AddHostedService(sp => sp.GetRequiredService<PartitionBalancer>());
        return services;
    }
}
