using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Planning;

// Leases and lost attempts. A running instance has a lease (dispatch time + node timeout + grace):
// the last resort when nothing is heard. An attempt that started and then went silent is found
// sooner by the host's watchdog and dispatched again as the same attempt.
public sealed partial class ExecutionPlanner
{
    /// <summary>A heartbeat: pushes the lease of a running instance out. Returns false for a stale one.</summary>
    public bool ExtendLease(ExecutionRuntime runtime, InstanceRef beat, DateTime leaseUntil)
    {
        if (!TryFindLive(runtime, beat, out _, out var instance) || instance.Status != NodeStatus.Running)
            return false;
        if (instance.LeaseUntil is null || instance.LeaseUntil < leaseUntil)
            instance.LeaseUntil = leaseUntil;
        return true;
    }

    /// <summary>
    /// The attempt is known to be alive (heard from recently): its lease starts over from
    /// <paramref name="now"/>, as if it had just been dispatched. Returns false for a stale one.
    /// </summary>
    public bool RenewLease(ExecutionRuntime runtime, InstanceRef alive, DateTime now) =>
        ExtendLease(runtime, alive, LeaseFrom(alive.NodeId, now));

    /// <summary>
    /// A running attempt went silent on its worker: the same attempt is dispatched again (same
    /// attempt number, so the same idempotency key) with a fresh lease. Whichever delivery reports
    /// first is the attempt's result; the other is stale. Stale for anything but the running attempt.
    /// </summary>
    public PlanStep RedispatchSilent(ExecutionRuntime runtime, InstanceRef silent, DateTime now)
    {
        var step = new PlanStep();
        if (!RenewLease(runtime, silent, now))
            return Stale(step);
        step.Dispatches.Add(silent);
        return step;
    }

    /// <summary>Running instances whose lease ran out by <paramref name="now"/>.</summary>
    public static IReadOnlyList<InstanceRef> ExpiredLeases(ExecutionRuntime runtime, DateTime now) =>
        runtime.Nodes
            .SelectMany(n => n.Value.Instances.Select(i => (NodeId: n.Key, Instance: i)))
            .Where(x => x.Instance.Status == NodeStatus.Running && x.Instance.LeaseUntil <= now)
            .Select(x => new InstanceRef(x.NodeId, x.Instance.Index, x.Instance.Attempt))
            .ToList();

    /// <summary>Fails (retryably) every running instance whose lease ran out: its worker is presumed lost.</summary>
    public PlanStep ExpireLeases(ExecutionRuntime runtime, DateTime now, bool dispatch = true)
    {
        var expired = ExpiredLeases(runtime, now);
        var combined = new PlanStep { Accepted = expired.Count > 0 };
        var error = new NodeError { Kind = NodeErrorKind.Retryable, Message = "No result or heartbeat arrived before the node's lease ran out.", Code = "lease.expired" };
        foreach (var instance in expired)
        {
            Merge(combined, Failed(runtime, instance, error, workerId: null, now, dispatch));
            if (combined.Outcome is not null)
                break;
        }
        return combined;
    }

    /// <summary>Earliest lease deadline among running instances, for the next lease check.</summary>
    public static DateTime? NextLeaseDeadline(ExecutionRuntime runtime) =>
        runtime.Nodes.Values.SelectMany(n => n.Instances)
            .Where(i => i.Status == NodeStatus.Running && i.LeaseUntil is not null)
            .Select(i => i.LeaseUntil)
            .Min();

    private DateTime LeaseFrom(string nodeId, DateTime now) =>
        now + (graph.Node(nodeId).Timeout ?? context.DefaultNodeTimeout) + context.LeaseGrace;
}
