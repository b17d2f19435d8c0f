using MassTransit;

namespace Workflow.Messaging.Scheduling;

/// <summary>Restores a stored message's body, message types, envelope ids and headers onto the outgoing send.</summary>
sealed class StoredScheduledMessagePipe(StoredScheduledMessage message) : IPipe<SendContext>
{
    public Task Send(SendContext context)
    {
        var deserializer = context.Serialization.GetMessageDeserializer(message.ContentType);
        var stored = deserializer.Deserialize(deserializer.GetMessageBody(message.Body), context.Headers, context.DestinationAddress);
        context.Serializer = stored.GetMessageSerializer();

        if (message.MessageId.HasValue)
            context.MessageId = message.MessageId;
        context.CorrelationId = message.CorrelationId;
        context.ConversationId = message.ConversationId;
        context.InitiatorId = message.InitiatorId;
        context.RequestId = message.RequestId;
        context.SourceAddress = message.SourceAddress;
        context.ResponseAddress = message.ResponseAddress;
        context.FaultAddress = message.FaultAddress;
        if (message.ExpirationTime is { } expiration)
            context.TimeToLive = expiration - DateTime.UtcNow;

        foreach (var (key, value) in message.Headers)
            context.Headers.Set(key, value);

        context.Headers.Set(MessageHeaders.Quartz.Sent, message.FireTime);
        if (message.ScheduledFireTime.HasValue)
            context.Headers.Set(MessageHeaders.Quartz.Scheduled, message.ScheduledFireTime.Value);
        // A state machine accepts a scheduled event only if this matches the token it holds.
        if (message.TokenId.HasValue)
            context.Headers.Set(MessageHeaders.SchedulingTokenId, message.TokenId.Value.ToString("N"));

        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("storedScheduledMessage");
}
