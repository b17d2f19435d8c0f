using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Workflow.Messaging.Persistence;

/// <summary>Turns a SendContext into a stored row and a stored row back into a transport send.</summary>
static class OutboxMessageEnvelope
{
    public static OutboxMessage Capture<T>(SendContext<T> context, Guid? inboxMessageId = null, Guid? inboxConsumerId = null,
        Guid? outboxId = null)
        where T : class
    {
        var messageId = context.MessageId ?? throw new MessageException(typeof(T), "The SendContext MessageId must be present");
        var now = DateTime.UtcNow;
        var serializer = SystemTextJsonMessageSerializer.Instance;

        var message = new OutboxMessage
        {
            MessageId = messageId,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = context.SentTime ?? now,
            ContentType = context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            Headers = serializer.SerializeDictionary(context.Headers.GetAll()),
            InboxMessageId = inboxMessageId,
            InboxConsumerId = inboxConsumerId,
            OutboxId = outboxId,
            ExpirationTime = context.TimeToLive.HasValue ? now + context.TimeToLive.Value : null,
            EnqueueTime = context.Delay.HasValue ? now + context.Delay.Value : null,
        };

        if (context is TransportSendContext<T> transportContext)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transportContext.WritePropertiesTo(properties);
            message.Properties = serializer.SerializeDictionary(properties!);
        }

        return message;
    }

    /// <summary>Re-sends the stored envelope unchanged: same MessageId, so downstream inboxes dedup.</summary>
    public static async Task Send(ISendEndpointProvider endpoints, OutboxMessage message, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (message.DestinationAddress == null)
        {
            LogContext.Warning?.Log("Outbox message {MessageId} has no destination; dropped", message.MessageId);
            return;
        }

        message.Deserialize(SystemTextJsonMessageSerializer.Instance);
        var endpoint = await endpoints.GetSendEndpoint(message.DestinationAddress).ConfigureAwait(false);
        await BoundedSend.Within(limit, token => endpoint.Send(new SerializedMessageBody(), new StoredEnvelopePipe(message), token), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The core pipe restores the envelope; a delayed send (transport delay) must also get back
    /// the delay that is left, or it would fire as soon as the outbox delivers it.
    /// </summary>
    sealed class StoredEnvelopePipe(OutboxMessage message) : IPipe<SendContext>
    {
        readonly OutboxMessageSendPipe _envelope = new(message, message.DestinationAddress);

        public async Task Send(SendContext context)
        {
            await _envelope.Send(context).ConfigureAwait(false);

            var remaining = message.EnqueueTime - DateTime.UtcNow;
            if (remaining > TimeSpan.Zero)
                context.Delay = remaining;
        }

        public void Probe(ProbeContext context) => _envelope.Probe(context);
    }
}
