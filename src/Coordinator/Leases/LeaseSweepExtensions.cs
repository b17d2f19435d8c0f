using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflow.Messaging.Coordinator.Leases;

public static class LeaseSweepExtensions
{
    /// <summary>
    /// The lease sweep, registered with the saga: whatever hosts the saga must sweep, or a lost node
    /// is never found. Where it reads comes from the persistence registration: the saga table, or
    /// the in-memory saga repository of the Memory provider (<c>AddCoordinatorServices</c>' default).
    /// </summary>
    public static IBusRegistrationConfigurator AddLeaseSweep(this IBusRegistrationConfigurator x)
    {
        // A singleton as well as a hosted service, so a host without hosted services (the test
        // harness) can start it.
        x.TryAddSingleton<LeaseSweeper>();
        x.AddHostedService(sp => sp.GetRequiredService<LeaseSweeper>());
        return x;
    }
}
