namespace Workflow.Messaging.Persistence;

public enum OutboxDeliveryMode
{
    /// <summary>
    /// One transaction consumes (inbox row, saga, outbox rows, Consumed), the rows are sent after
    /// commit, one short transaction marks Delivered and deletes them. A consume without outbox
    /// rows needs only the first transaction.
    /// </summary>
    TwoTransactions,

    /// <summary>
    /// MassTransit's loop: insert the inbox row, consume, deliver MessageDeliveryLimit rows per
    /// pass, remove; each pass its own transaction. Kept to measure against.
    /// </summary>
    MassTransitLoop,
}
