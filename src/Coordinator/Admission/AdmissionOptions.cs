namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>Admission and flow control, bound from the <c>Admission</c> section. Every coordinator of a fleet should say the same.</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>Most executions running (or paused) at once across the fleet, whatever their workflow. None: no global limit.</summary>
    public int? MaxConcurrentExecutions { get; set; }

    /// <summary>
    /// When this many executions are queued, the API answers new starts with 429 and
    /// <see cref="RetryAfter"/>. None: the queue is unbounded. The count is the one the sweeper
    /// last read (every <see cref="SweepInterval"/>), so a burst may overshoot it by one interval's starts.
    /// </summary>
    public int? MaxQueuedExecutions { get; set; }

    /// <summary>The Retry-After of a 429.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each coordinator gives back slots of dead holders, looks at queues again (a safety
    /// net: admission is woken by messages) and refreshes the backlog figures behind metrics and 429s.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A held slot is checked against its holder once this old: the slot of an execution that is no
    /// longer running or paused comes back; a live one's lease is renewed.
    /// </summary>
    public TimeSpan SlotLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Queued executions one admission pass looks at per limit before it stops.</summary>
    public int PassSize { get; set; } = 50;

    /// <summary>
    /// Limits of named resources, by name (<c>Admission:Resources:payments:MaxConcurrent=5</c>): every
    /// node attempt whose node says <c>"resource": "payments"</c>, in any workflow, shares them.
    /// </summary>
    public Dictionary<string, ResourceLimit> Resources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Limits per node type (<c>Admission:NodeTypes:http:MaxConcurrent=20</c>), shared by every node of that type.</summary>
    public Dictionary<string, ResourceLimit> NodeTypes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Bounds on the broker queues of worker pools, by pool name (<c>Admission:Pools:http:MaxQueueDepth=500</c>):
    /// while a pool's queue is deeper, new executions that dispatch to it wait in Queued.
    /// </summary>
    public Dictionary<string, PoolLimit> Pools { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often each coordinator reads the depth of the bounded pools' queues.</summary>
    public TimeSpan PoolDepthInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>One pool's backpressure bound.</summary>
public sealed class PoolLimit
{
    /// <summary>Deeper than this (messages ready in the pool's queue), new executions using the pool are queued. None: no bound.</summary>
    public int? MaxQueueDepth { get; set; }

    /// <summary>
    /// Once closed, the pool lets queued executions in again when its depth is at or below this
    /// (hysteresis, so a queue hovering at the bound does not flap). None: half of <see cref="MaxQueueDepth"/>.
    /// </summary>
    public int? ResumeDepth { get; set; }
}

/// <summary>One resource's or node type's limit.</summary>
public sealed class ResourceLimit
{
    /// <summary>Most attempts holding it at once across the fleet, from dispatch to result. None: no concurrency limit.</summary>
    public int? MaxConcurrent { get; set; }

    /// <summary>Most attempts started (forwarded to a worker) in any <see cref="RatePeriod"/>, fleet-wide. None: no rate limit.</summary>
    public int? MaxStarts { get; set; }

    /// <summary>The period of <see cref="MaxStarts"/>.</summary>
    public TimeSpan RatePeriod { get; set; } = TimeSpan.FromSeconds(1);
}
