using Microsoft.Extensions.Options;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.ProgressWatch;

/// <summary>Marks watched executions from singletons (the progress hub, the renewal): a scope per mark, for the scoped store.</summary>
public sealed class ProgressWatchMarker(IServiceScopeFactory scopes, IOptions<CoordinatorOptions> options, TimeProvider time)
{
    public TimeSpan Lease => options.Value.ProgressWatchLease;

    /// <inheritdoc cref="IProgressWatchMarks.MarkAsync"/>
    public async Task<bool> MarkAsync(Guid executionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var marks = scope.ServiceProvider.GetRequiredService<IProgressWatchMarks>();
        return await marks.MarkAsync(executionId, time.GetUtcNow().UtcDateTime + Lease, cancellationToken);
    }
}

/// <summary>Renews the marks of the executions that streams of this instance watch, at a third of their lease.</summary>
public sealed class ProgressWatchRenewal(Api.Progress.ExecutionProgressHub hub, ProgressWatchMarker marker, TimeProvider time,
    ILogger<ProgressWatchRenewal> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync("The progress watch renewal", marker.Lease / 3, time, log, async cancellationToken =>
        {
            foreach (var executionId in hub.Watched())
                await marker.MarkAsync(executionId, cancellationToken);
        }, stoppingToken);
}
