using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// Every <see cref="AdmissionOptions.SweepInterval"/>: gives back slots whose holder is gone,
/// refreshes the backlog figures, and asks for a pass over every limit with a queue (a safety net:
/// passes are normally asked for by the steps that release or queue). Any number of coordinators
/// may run it; passes take turns per limit.
/// </summary>
public sealed class AdmissionSweeper(
    IServiceScopeFactory scopes,
    IBus bus,
    AdmissionBacklog backlog,
    IOptions<AdmissionOptions> options,
    IOptions<CoordinatorOptions> coordinator,
    TimeProvider time,
    ILogger<AdmissionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PeriodicWork.RunAsync("The admission sweep", options.Value.SweepInterval, time, logger, SweepAsync, stoppingToken);
    }

    /// <summary>One sweep; returns the keys it asked a pass for.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IAdmissionStore>();
        // An attempt holding a slot is alive while the attempt tracker hears from it.
        var silentAfter = coordinator.Value.SilentAttemptAfter > TimeSpan.Zero ? coordinator.Value.SilentAttemptAfter : options.Value.SlotLease;
        var freed = await store.ReclaimExpiredAsync(now, now + options.Value.SlotLease, now - silentAfter, cancellationToken);
        if (freed.Count > 0)
            logger.LogWarning("Gave back slots of {Limits} held by executions or attempts that are gone", string.Join(", ", freed));
        var snapshot = await store.SnapshotAsync(cancellationToken);
        backlog.Update(snapshot);
        var keys = freed.Concat(snapshot.QueuedPerLimit.Keys).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count > 0)
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{ExecutionAdmission.QueueName}"));
            await endpoint.Send(new CheckAdmission { LimitKeys = keys }, cancellationToken);
        }
        return keys;
    }
}
