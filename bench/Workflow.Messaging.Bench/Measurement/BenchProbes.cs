namespace Workflow.Messaging.Bench.Measurement;

/// <summary>Everything a run observes, shared by the fleet's consumers and the runner.</summary>
internal sealed class BenchProbes
{
    public ExecutionTracker Tracker { get; } = new();
    public DispatchLatency Dispatch { get; } = new();
    public MessageCounter Messages { get; } = new();
    public HoldTracker Holds { get; } = new();

    public void Reset()
    {
        Tracker.ResetCounts();
        Dispatch.Reset();
        Messages.Reset();
    }
}
