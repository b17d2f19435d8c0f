using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Coordinator.Admission.Pools;

/// <summary>A bounded pool: its admission key, the broker queue whose depth is read, and the bound.</summary>
public sealed record BoundedPool(string Key, string Queue, int MaxQueueDepth, int ResumeDepth);

/// <summary>
/// Which pool bounds apply to an execution: a pure function of its definition, the node catalog and
/// the options, so nothing is asked when no pool is bounded. A pool bound is a gate, not a slot: it
/// holds nothing, it is open or closed as the last depth reading says (<see cref="PoolGates"/>).
/// </summary>
public static class PoolLimits
{
    public const string KeyPrefix = "pool:";

    private static readonly int QueuePrefixLength = NodePools.QueueName("x").Length - 1;

    /// <summary>
    /// The pool's name as its queue has it: taken from <see cref="NodePools.QueueName"/> (which trims,
    /// lowercases and defaults it), so a node's pool and an option's name meet on the same key.
    /// </summary>
    public static string Key(string? pool) => KeyPrefix + NodePools.QueueName(pool)[QueuePrefixLength..];

    public static bool IsPoolKey(string key) => key.StartsWith(KeyPrefix, StringComparison.Ordinal);

    /// <summary>Every pool the options bound, once each (option names differing only in case are one pool).</summary>
    public static IReadOnlyList<BoundedPool> Bounded(AdmissionOptions options)
    {
        if (options.Pools.Count == 0)
            return [];
        return options.Pools
            .Where(p => p.Value.MaxQueueDepth is not null)
            .Select(p =>
            {
                var bound = Math.Max(p.Value.MaxQueueDepth!.Value, 0);
                var resume = Math.Clamp(p.Value.ResumeDepth ?? bound / 2, 0, bound);
                return new BoundedPool(Key(p.Key), NodePools.QueueName(p.Key), bound, resume);
            })
            .DistinctBy(p => p.Key, StringComparer.Ordinal)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The gates of the bounded pools the definition's worker nodes dispatch to (nodes run inside the
    /// coordinator, timers and approvals put nothing on a pool's queue).
    /// </summary>
    public static IReadOnlyList<LimitDemand> For(WorkflowDefinition definition, AdmissionOptions options, INodeTypeCatalog catalog)
    {
        if (options.Pools.Count == 0)
            return [];
        var bounded = Bounded(options);
        if (bounded.Count == 0)
            return [];
        var used = definition.Nodes
            .Where(n => !catalog.TryGet(n.Type, out var descriptor) || descriptor.Placement == NodePlacement.Worker)
            .Select(n => Key(n.Pool))
            .ToHashSet(StringComparer.Ordinal);
        return bounded.Where(p => used.Contains(p.Key)).Select(p => new LimitDemand(p.Key, p.MaxQueueDepth)).ToList();
    }
}
