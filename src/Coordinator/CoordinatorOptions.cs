using Workflow.Messaging.Coordinator.ProgressWatch;

namespace Workflow.Messaging.Coordinator;

/// <summary>Coordinator settings, bound from the <c>Coordinator</c> section.</summary>
public sealed class CoordinatorOptions
{
    public const string Section = "Coordinator";

    /// <summary>Timeout of nodes that set none.</summary>
    public TimeSpan DefaultNodeTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Added to a node's timeout to form its lease; must cover queue wait under load.</summary>
    public TimeSpan LeaseGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often each coordinator looks for executions whose earliest lease ran out (the lease
    /// sweep); an expired lease is acted on within this long of its time.
    /// </summary>
    public TimeSpan LeaseSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An attempt that started on a worker (NodeStarted) and has not been heard from since (no
    /// heartbeat, no result) for this long is dispatched again, same attempt, same idempotency key.
    /// Three of the workers' default heartbeat intervals (<c>Worker:HeartbeatInterval</c>, 10 s);
    /// keep it a few intervals above theirs. Zero turns the watchdog off (the lease alone remains).
    /// </summary>
    public TimeSpan SilentAttemptAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the watchdog looks for silent attempts.</summary>
    public TimeSpan AttemptWatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When a saga step publishes ExecutionProgressed (the event streams and the CLI's watch use it).
    /// <see cref="ProgressPublishing.WhileWatched"/> by default: a message per step that nobody reads
    /// costs the coordinator and the broker a third of a worker node's messages.
    /// </summary>
    public ProgressPublishing Progress { get; set; } = ProgressPublishing.WhileWatched;

    /// <summary>How long an event stream's mark on an execution lasts; an open stream renews it at a third of this.</summary>
    public TimeSpan ProgressWatchLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Concurrent messages on the saga endpoint; also the partition count, so one execution's messages never contend.</summary>
    public int SagaConcurrencyLimit { get; set; } = 16;

    /// <summary>
    /// PostgreSQL: memory for the saga rows this coordinator committed last, so the next step of an
    /// execution skips loading and locking its row (Executions/ExecutionStateCache); 0 turns it off.
    /// Several coordinators on one queue without sharding take turns on each execution, so cached rows
    /// are often stale: the cache notices the conflicts and pauses itself (0 spares even that).
    /// </summary>
    public int StateCacheMegabytes { get; set; } = 64;

    /// <summary>
    /// RabbitMQ with a database: split the saga queue into this many partition queues behind a
    /// consistent-hash exchange keyed by execution id, and let each coordinator consume only the
    /// partitions it holds a lease on (Partitions/PartitionBalancer). One execution's messages then
    /// reach one coordinator, so its state cache keeps working with several. 0 (the default): one
    /// saga queue that every coordinator consumes. Every coordinator of a deployment needs the same
    /// value; a few per coordinator you expect to run (for example 8 for up to 4) spreads them evenly.
    /// </summary>
    public int Partitions { get; set; }

    /// <summary>
    /// How long a coordinator's hold on its partitions lasts without renewal (it renews at a quarter
    /// of this). A coordinator that dies without stopping leaves its partitions waiting this long.
    /// </summary>
    public TimeSpan PartitionLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On RabbitMQ, also host workers for the configured pools (section <c>Worker</c>) in this process;
    /// the embedded fleet always does.
    /// </summary>
    public bool EmbeddedWorkers { get; set; }
}
