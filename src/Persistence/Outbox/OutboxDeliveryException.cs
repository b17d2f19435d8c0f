namespace Workflow.Messaging.Persistence;

/// <summary>
/// The consume committed but sending its outbox messages failed (broker unreachable, send timed
/// out). Nothing is lost: the inbox row says consumed-not-delivered, so running the message again
/// only delivers. Retry policies treat it as an outage.
/// </summary>
public sealed class OutboxDeliveryException(Guid messageId, Exception inner)
    : Exception($"Message {messageId} was consumed and committed, but its outbox messages could not be sent yet: {inner.Message}", inner)
{
    public Guid InboundMessageId { get; } = messageId;
}
