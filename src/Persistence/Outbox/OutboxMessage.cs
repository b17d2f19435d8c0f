using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Workflow.Messaging.Persistence;

/// <summary>
/// A send or publish captured inside a transaction. Body is the whole serialized envelope, so the
/// core's OutboxMessageSendPipe can re-send it unchanged (same MessageId, same headers).
/// </summary>
public class OutboxMessage : OutboxMessageContext
{
    Headers? _headers;
    IReadOnlyDictionary<string, object>? _properties;

    public long SequenceNumber { get; set; }
    public DateTime? EnqueueTime { get; set; }
    public DateTime SentTime { get; set; }
    public string? Headers { get; set; }
    public string? Properties { get; set; }

    /// <summary>Set for rows written by a consumer (inbox/outbox).</summary>
    public Guid? InboxMessageId { get; set; }
    public Guid? InboxConsumerId { get; set; }

    /// <summary>Set for rows written by the bus outbox.</summary>
    public Guid? OutboxId { get; set; }

    public Guid MessageId { get; set; }
    public string ContentType { get; set; } = null!;
    public string MessageType { get; set; } = null!;
    public string Body { get; set; } = null!;
    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public Uri? SourceAddress { get; set; }
    public Uri? DestinationAddress { get; set; }
    public Uri? ResponseAddress { get; set; }
    public Uri? FaultAddress { get; set; }
    public DateTime? ExpirationTime { get; set; }

    Guid? MessageContext.MessageId => MessageId;
    DateTime? MessageContext.SentTime => SentTime;
    Headers MessageContext.Headers => _headers ?? EmptyHeaders.Instance;
    HostInfo MessageContext.Host => HostMetadataCache.Host;
    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ?? EmptyProperties;

    static readonly IReadOnlyDictionary<string, object> EmptyProperties = new Dictionary<string, object>();

    /// <summary>Headers and transport properties are stored as JSON; parse them before re-sending.</summary>
    public void Deserialize(IObjectDeserializer deserializer)
    {
        var headers = string.IsNullOrWhiteSpace(Headers)
            ? null
            : deserializer.DeserializeObject<Dictionary<string, object?>>(Headers);
        _headers = headers is { Count: > 0 } ? new DictionarySendHeaders(headers) : EmptyHeaders.Instance;

        _properties = string.IsNullOrWhiteSpace(Properties)
            ? EmptyProperties
            : deserializer.DeserializeObject<Dictionary<string, object>>(Properties) ?? EmptyProperties;
    }
}
