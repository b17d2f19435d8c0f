namespace Workflow.Messaging.Scheduling;

/// <summary>Where and how scheduled messages are kept until they are due; bound from the <c>Scheduler</c> section.</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    public SchedulerStoreProvider Provider { get; set; } = SchedulerStoreProvider.Postgres;

    /// <summary>ADO.NET connection string of the job store; unused by <see cref="SchedulerStoreProvider.Memory" />.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The Quartz scheduler name. Every node of one cluster shares it (it partitions the tables), and it must be
    /// unique within a process.
    /// </summary>
    public string InstanceName { get; set; } = "workflow-scheduler";

    /// <summary>
    /// Lets several nodes share one PostgreSQL job store. Unset means clustered on PostgreSQL; SQLite and memory
    /// stores are single-node and refuse <c>true</c>.
    /// </summary>
    public bool? Clustered { get; set; }

    public bool IsClustered => Clustered ?? Provider == SchedulerStoreProvider.Postgres;

    public string TablePrefix { get; set; } = "qrtz_";

    /// <summary>The queue the schedule and cancel commands are sent to.</summary>
    public string EndpointName { get; set; } = "scheduler";

    public int? ConcurrentMessageLimit { get; set; }

    /// <summary>
    /// Longest wait for the broker to accept a due message (publisher confirm included). RabbitMQ.Client 7
    /// can wait forever on a confirm lost in a broker restart; a job stuck like that would hold one of
    /// Quartz's few threads for good, so past this the send fails and the job is retried.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before a scheduled message whose send failed is tried again; it doubles per attempt.</summary>
    public TimeSpan SendRetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan SendRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a cancelled scheduling token is remembered, so that its schedule arriving after the cancel (another
    /// channel, a redelivery, a late outbox delivery) is dropped. It covers the outbox's long horizon (7 days);
    /// each cancel costs one small job and trigger row for this long.
    /// </summary>
    public TimeSpan CancelledTokenRetention { get; set; } = TimeSpan.FromDays(7);

    public Uri EndpointAddress => new($"queue:{EndpointName}");
}
