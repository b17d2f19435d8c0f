namespace Workflow.Messaging.Persistence;

public sealed class WorkflowOutboxOptions
{
    /// <summary>Null: detect from the DbContext's provider.</summary>
    public DatabaseDialect? Dialect { get; set; }

    public OutboxDeliveryMode DeliveryMode { get; set; } = OutboxDeliveryMode.TwoTransactions;

    /// <summary>Delivered inbox rows are kept this long to catch redelivered duplicates.</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Inbox rows never delivered (the consumer kept faulting, the message went to the error
    /// queue) are removed with their outbox rows after this long.
    /// </summary>
    public TimeSpan AbandonedInboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Consumed-but-undelivered rows older than this are sent by the sweeper: the inbound message
    /// that would heal them on redelivery may be gone.
    /// </summary>
    public TimeSpan StrandedDeliveryThreshold { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the write-behind of Delivered marks (PostgreSQL) gathers marks before it commits them
    /// together: one transaction per linger instead of one per consume.
    /// </summary>
    public TimeSpan DeliveredMarkLinger { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows per query for the delivery service, the sweeper and the cleanup.</summary>
    public int QueryMessageLimit { get; set; } = 100;

    /// <summary>
    /// How long the bus outbox delivery service idles when nothing notifies it. A commit in this
    /// process wakes it at once; the poll only finds rows another instance left behind when it
    /// died, and each poll is a transaction, so an idle coordinator should not poll every second.
    /// </summary>
    public TimeSpan BusOutboxPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest wait for the broker to accept one outbox message (publisher confirm included). A
    /// send past it fails and is retried instead of holding its consume or transaction forever.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait after a failed delivery attempt; doubles per failure up to the maximum.</summary>
    public TimeSpan DeliveryRetryMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan DeliveryRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    public void UsePostgres() => Dialect = DatabaseDialect.Postgres;

    public void UseSqlite() => Dialect = DatabaseDialect.Sqlite;
}
