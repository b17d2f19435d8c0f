using System.Collections.Concurrent;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>
/// Queue wait of worker nodes: NodeStarted.StartedAt minus the dispatch time. In-process the
/// ExecuteNode itself is observed; against a fleet the dispatch time is the time of the step that
/// made the attempt Running (ExecutionProgressed.At, which is ExecuteNode.DispatchedAt), joined
/// with NodeStarted whichever arrives first.
/// </summary>
internal sealed class DispatchLatency
{
    private readonly ConcurrentDictionary<(Guid, string, int?, int), DateTime> _dispatched = new();
    private readonly ConcurrentDictionary<(Guid, string, int?, int), DateTime> _started = new();

    public LatencySamples Samples { get; } = new();

    public void Observed(ExecuteNode message, DateTime consumedAt) => Samples.Add(consumedAt - message.DispatchedAt);

    public void Progressed(ExecutionProgressed progressed)
    {
        foreach (var t in progressed.Transitions)
        {
            if (t.Status != NodeStatus.Running)
                continue;
            var key = (progressed.ExecutionId, t.NodeId, t.ItemIndex, t.Attempt);
            if (_started.TryRemove(key, out var startedAt))
                Samples.Add(startedAt - progressed.At);
            else
                _dispatched[key] = progressed.At;
        }
    }

    public void Started(NodeStarted started)
    {
        // Workers report the dispatch time themselves; progress events are only for older ones.
        if (started.DispatchedAt is { } dispatched)
        {
            Samples.Add(started.StartedAt - dispatched);
            return;
        }
        var key = (started.ExecutionId, started.NodeId, started.ItemIndex, started.Attempt);
        if (_dispatched.TryRemove(key, out var dispatchedAt))
            Samples.Add(started.StartedAt - dispatchedAt);
        else
            _started[key] = started.StartedAt;
    }

    /// <summary>Inline nodes become Running without a NodeStarted; their entries are dropped between runs.</summary>
    public void Reset()
    {
        _dispatched.Clear();
        _started.Clear();
        Samples.Clear();
    }
}
