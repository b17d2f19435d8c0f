namespace Workflow.Messaging.Persistence;

/// <summary>One row per committed unit of work of the bus outbox (code outside consumers).</summary>
public class OutboxState
{
    public Guid OutboxId { get; set; }
    public Guid LockId { get; set; }
    public DateTime Created { get; set; }
    public DateTime? Delivered { get; set; }
    public long? LastSequenceNumber { get; set; }
}
