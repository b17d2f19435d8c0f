using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Hosting;

/// <summary>Readiness of the coordinator's database: a connection can be opened.</summary>
internal sealed class DatabaseHealthCheck(CoordinatorDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable")
                : HealthCheckResult.Unhealthy($"{db.Database.ProviderName} not reachable");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database could not be reached.", exception);
        }
    }
}
