using System.Collections.Concurrent;

namespace Workflow.Messaging.Coordinator.Admission.Pools;

/// <summary>A bounded pool as last read: its queue's depth and whether new executions may use it.</summary>
public sealed record PoolReading(long Depth, int Bound, bool Closed);

/// <summary>
/// This coordinator's view of the bounded pools, fed by <see cref="PoolDepthMonitor"/>. A gate closes
/// when its queue is deeper than the bound and opens again at or below the resume depth. A pool not
/// (or no longer) read is open: a broken reading never stops the fleet.
/// </summary>
public sealed class PoolGates
{
    private readonly ConcurrentDictionary<string, PoolReading> _readings = new(StringComparer.Ordinal);

    public bool IsOpen(string key) => !_readings.TryGetValue(key, out var reading) || !reading.Closed;

    public PoolReading? Reading(string key) => _readings.GetValueOrDefault(key);

    public IReadOnlyDictionary<string, PoolReading> Readings => _readings;

    /// <summary>Records a depth; true when the reading opened a gate that was closed (queued executions may go on).</summary>
    public bool Observe(BoundedPool pool, long depth)
    {
        var wasClosed = _readings.TryGetValue(pool.Key, out var previous) && previous.Closed;
        var closed = wasClosed ? depth > pool.ResumeDepth : depth > pool.MaxQueueDepth;
        _readings[pool.Key] = new PoolReading(depth, pool.MaxQueueDepth, closed);
        return wasClosed && !closed;
    }

    /// <summary>The depth could not be read: the gate opens (true when it was closed) rather than wedging the pool's executions.</summary>
    public bool Unknown(BoundedPool pool) =>
        _readings.TryRemove(pool.Key, out var previous) && previous.Closed;

    /// <summary>A limit key as the API and <c>ExecutionQueued.WaitingFor</c> show it: a pool with its depth and bound.</summary>
    public string Describe(string key) =>
        PoolLimits.IsPoolKey(key) && Reading(key) is { } reading
            ? $"{key} (depth {reading.Depth}, bound {reading.Bound})"
            : key;
}
