namespace Workflow.Messaging.Scheduling;

/// <summary>
/// Keys of the job data a scheduled message is stored under. They are persisted: renaming one strands every job
/// already in a store, so readers use TryGet and tolerate a missing key.
/// </summary>
static class ScheduledMessageJobData
{
    public const string Destination = "Destination";
    public const string Body = "Body";
    public const string ContentType = "ContentType";
    public const string MessageType = "MessageType";
    public const string MessageId = "MessageId";
    public const string CorrelationId = "CorrelationId";
    public const string ConversationId = "ConversationId";
    public const string InitiatorId = "InitiatorId";
    public const string RequestId = "RequestId";
    public const string SourceAddress = "SourceAddress";
    public const string ResponseAddress = "ResponseAddress";
    public const string FaultAddress = "FaultAddress";
    public const string ExpirationTime = "ExpirationTime";
    public const string TokenId = "TokenId";
    public const string HeadersAsJson = "HeadersAsJson";
}
