using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflow.Messaging.Coordinator.Attempts;

public static class AttemptTrackingExtensions
{
    /// <summary>
    /// The attempt tracker (a batch consumer of NodeStarted and NodeHeartbeat on the
    /// <c>workflow-node-attempts</c> queue) and the silent-attempt watchdog. The store comes from
    /// the persistence registration: the database one, or the in-memory one of the Memory provider.
    /// </summary>
    public static IBusRegistrationConfigurator AddAttemptTracking(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<AttemptSignalConsumer, AttemptSignalConsumerDefinition>();
        // A singleton as well as a hosted service, so a host without hosted services (the test
        // harness) can start it.
        x.TryAddSingleton<SilentAttemptWatchdog>();
        x.AddHostedService(sp => sp.GetRequiredService<SilentAttemptWatchdog>());
        return x;
    }
}
