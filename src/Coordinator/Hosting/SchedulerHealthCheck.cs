using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Workflow.Messaging.Coordinator.Hosting;

/// <summary>
/// Readiness of the durable scheduler that holds retries, waits and deadlines: the Quartz
/// scheduler is running (not created, in standby or shut down). A host without Quartz (the
/// embedded fleet's in-memory delayed scheduler) has nothing to check.
/// </summary>
internal sealed class SchedulerHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ISchedulerFactory>() is not { } factory)
            return HealthCheckResult.Healthy("In-process delayed scheduler.");
        var scheduler = await factory.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"Quartz scheduler {scheduler.SchedulerName} is running.")
            : HealthCheckResult.Unhealthy($"Quartz scheduler {scheduler.SchedulerName} is {status}.");
    }
}
