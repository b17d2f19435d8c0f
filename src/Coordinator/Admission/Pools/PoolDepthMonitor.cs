using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Coordinator.Admission.Pools;

/// <summary>
/// Every <see cref="AdmissionOptions.PoolDepthInterval"/>, reads the depth of each bounded pool's
/// queue and opens or closes its gate; when a gate opens, asks for an admission pass over it, so the
/// executions queued behind it go on in their order. Each coordinator reads for itself (a few passive
/// declares per interval, never one per start). Without a pool bound it does nothing at all.
/// </summary>
public sealed class PoolDepthMonitor(
    IPoolDepthReader reader,
    PoolGates gates,
    IBus bus,
    IOptions<AdmissionOptions> options,
    TimeProvider time,
    ILogger<PoolDepthMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (PoolLimits.Bounded(options.Value).Count == 0)
            return;
        await PeriodicWork.RunAsync("Reading the pool queue depths", options.Value.PoolDepthInterval, time, logger, ReadOnceAsync, stoppingToken,
            passFirst: true);
    }

    /// <summary>One reading of every bounded pool; returns the keys whose gate it opened.</summary>
    public async Task<IReadOnlyList<string>> ReadOnceAsync(CancellationToken cancellationToken)
    {
        var opened = new List<string>();
        foreach (var pool in PoolLimits.Bounded(options.Value))
        {
            long? depth;
            try
            {
                depth = await reader.ReadAsync(pool.Queue, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Could not read the depth of {Queue}; its pool stays open until a reading succeeds", pool.Queue);
                depth = null;
            }
            var wasOpen = gates.IsOpen(pool.Key);
            if (depth is { } known ? gates.Observe(pool, known) : gates.Unknown(pool))
                opened.Add(pool.Key);
            if (wasOpen && !gates.IsOpen(pool.Key))
                logger.LogInformation("Pool {Pool} is past its bound ({Depth} > {Bound}): new executions using it are queued", pool.Key, depth, pool.MaxQueueDepth);
        }
        AdmissionTelemetry.ObservePools(gates.Readings);
        if (opened.Count > 0)
        {
            logger.LogInformation("Pools {Pools} are below their bounds again: queued executions go on", string.Join(", ", opened));
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{ExecutionAdmission.QueueName}"));
            await endpoint.Send(new CheckAdmission { LimitKeys = opened }, cancellationToken);
        }
        return opened;
    }
}
