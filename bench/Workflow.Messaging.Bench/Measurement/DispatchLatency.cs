using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>
/// Queue wait of worker nodes: when a worker started an attempt minus when the coordinator dispatched
/// it. In-process the ExecuteNode itself is observed; against a fleet each node result carries both
/// times.
/// </summary>
internal sealed class DispatchLatency
{
    public LatencySamples Samples { get; } = new();

    public void Observed(ExecuteNode message, DateTime consumedAt) => Samples.Add(consumedAt - message.DispatchedAt);

    public void Reported(DateTime? dispatchedAt, DateTime? startedAt)
    {
        if (dispatchedAt is { } dispatched && startedAt is { } started)
            Samples.Add(started - dispatched);
    }

    public void Reset() => Samples.Clear();
}
