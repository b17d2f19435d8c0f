namespace Workflow.Messaging.Persistence;

/// <summary>
/// One row per (inbound MessageId, consumer): the unique pair is the duplicate guard, and the row
/// remembers whether the consumer ran (Consumed) and whether its outbox rows went out (Delivered).
/// </summary>
public class InboxState
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public Guid ConsumerId { get; set; }
    public Guid LockId { get; set; }
    public DateTime Received { get; set; }
    public int ReceiveCount { get; set; }
    public DateTime? ExpirationTime { get; set; }
    public DateTime? Consumed { get; set; }
    public DateTime? Delivered { get; set; }
    public long? LastSequenceNumber { get; set; }
}
