using Microsoft.Extensions.Options;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Partitions;

/// <summary>
/// Holds this coordinator's share of the saga partitions. Every quarter of
/// <see cref="CoordinatorOptions.PartitionLease"/> it renews its membership and leases, computes its
/// share from the live members (<see cref="PartitionAssignment"/>), stops and releases what is no longer
/// its share, and claims and consumes what is, once the previous holder released it or its lease ran
/// out. A coordinator that joins takes partitions from the others within a round or two; one that stops
/// releases all at once; one that dies leaves its partitions waiting until its leases run out.
/// </summary>
public sealed class PartitionBalancer(
    SagaPartitions partitions,
    PartitionEndpoints endpoints,
    IServiceScopeFactory scopes,
    IOptions<CoordinatorOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PartitionBalancer> log) : BackgroundService
{
    private static readonly TimeSpan LeaveWithin = TimeSpan.FromSeconds(10);

    /// <summary>Unique per process: a restarted coordinator is a new member, and its old leases simply run out.</summary>
    public string MemberId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    private TimeSpan Lease => options.Value.PartitionLease;

    /// <summary>The partitions this coordinator consumes now.</summary>
    public IReadOnlyCollection<int> Held => endpoints.Running;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Lease <= TimeSpan.Zero)
            throw new InvalidOperationException($"Coordinator:PartitionLease must be positive, not {Lease}.");
        // Endpoints connect to a running bus.
        await lifetime.WhenStartedAsync(stoppingToken);
        log.LogInformation("Coordinator {Member} takes part in {Partitions} saga partitions", MemberId, partitions.Count);
        await PeriodicWork.RunAsync("The partition balancer", Lease / 4, time, log, RoundAsync, stoppingToken, passFirst: true);
    }

    /// <summary>One round: heartbeat, give up what is not this member's share, claim what is.</summary>
    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + Lease;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<PartitionLeaseStore>();
        var view = await store.HeartbeatAsync(MemberId, partitions.Count, now, until, cancellationToken);
        var leases = view.Leases.ToDictionary(l => l.Partition);
        var share = PartitionAssignment.ShareOf(MemberId, view.LiveMembers, leases.Keys);

        foreach (var partition in endpoints.Running.ToList())
        {
            // Lost: the lease ran out (a stall, a database outage) and another member took it.
            var lost = !leases.TryGetValue(partition, out var lease) || lease.Owner != MemberId;
            if (share.Contains(partition) && !lost)
                continue;
            await endpoints.StopAsync(partition, cancellationToken);
            if (!lost)
                await store.ReleaseAsync(MemberId, partition, cancellationToken);
            log.LogInformation("Saga partition {Partition} {What} ({Members} live members)", partition, lost ? "was lost to another coordinator" : "released", view.LiveMembers.Count);
        }

        foreach (var partition in share.Where(p => !endpoints.Running.Contains(p)).Order())
        {
            var lease = leases[partition];
            if (lease.Owner is not null && lease.Owner != MemberId && lease.ExpiresAt > now)
                continue; // still its previous holder's, until it releases it or its lease runs out
            if (!await store.ClaimAsync(MemberId, partition, now, until, cancellationToken))
                continue;
            try
            {
                await endpoints.StartAsync(partition, cancellationToken);
                log.LogInformation("Saga partition {Partition} claimed ({Members} live members)", partition, view.LiveMembers.Count);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                await store.ReleaseAsync(MemberId, partition, cancellationToken);
                log.LogWarning(exception, "Saga partition {Partition} was claimed but its endpoint did not start; released for another round", partition);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Stop consuming first, then release: whoever takes a partition next starts after this one stopped.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(LeaveWithin);
        try
        {
            foreach (var partition in endpoints.Running.ToList())
                await endpoints.StopAsync(partition, limit.Token);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PartitionLeaseStore>().LeaveAsync(MemberId, limit.Token);
        }
        catch (Exception exception)
        {
            // The leases then run out by themselves.
            log.LogWarning(exception, "Coordinator {Member} could not hand its saga partitions back; they are free once their leases run out", MemberId);
        }
    }
}
