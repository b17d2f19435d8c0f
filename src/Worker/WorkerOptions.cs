namespace Workflow.Messaging.Worker;

/// <summary>Settings of a worker instance, bound from the <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Names this instance in NodeStarted/NodeSucceeded/NodeFailed/NodeHeartbeat.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// Pools whose queues this instance consumes. Left empty it means <c>["default"]</c>; the default
    /// is applied after binding because the configuration binder appends to a pre-filled list.
    /// </summary>
    public List<string> Pools { get; set; } = [];

    /// <summary>Attempts one pool endpoint runs at the same time.</summary>
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// <summary>Messages the broker hands over ahead of processing.</summary>
    public int PrefetchCount { get; set; } = 16;

    /// <summary>How often a running attempt reports that it is alive; its lease is extended by three intervals.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an attempt runs before the worker announces it (NodeStarted) to the coordinator's attempt tracker;
    /// heartbeats follow every <see cref="HeartbeatInterval"/>. Shorter attempts send no start at all: their result
    /// is the only message they cost. Zero announces every attempt as it starts.
    /// </summary>
    public TimeSpan StartAnnouncementDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest wait for the broker to accept one report or heartbeat (publisher confirm included);
    /// a report past it is published again. A heartbeat is bounded by its interval instead.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the result of an attempt whose consume was cancelled before the broker accepted it is kept: it is
    /// published again until accepted, and a redelivery of that attempt within this time re-publishes it instead of
    /// running the node again.
    /// </summary>
    public TimeSpan FinishedAttemptMemory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a stopping host lets running attempts finish before handing them back to the broker.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a CancelRunningNodes is remembered, so an attempt of that execution that arrives later is not started.</summary>
    public TimeSpan CancellationMemory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Port of the worker host's probe listener (<c>/health/live</c>, <c>/health/ready</c>,
    /// <c>/metrics</c>); none when unset. Read by the worker's Program, not by the library.
    /// </summary>
    public int? HealthPort { get; set; }

    public IReadOnlyList<string> EffectivePools => Pools.Count == 0 ? [WorkerEndpoints.DefaultPool] : Pools;
}
