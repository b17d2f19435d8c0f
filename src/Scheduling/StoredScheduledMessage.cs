using System.Globalization;
using System.Net.Mime;
using Quartz;

namespace Workflow.Messaging.Scheduling;

/// <summary>The envelope fields of a stored scheduled message, read back from job data.</summary>
sealed class StoredScheduledMessage(JobDataMap data, string body, IJobExecutionContext execution)
{
    public string Body { get; } = body;
    public ContentType? ContentType { get; } = ReadString(data, ScheduledMessageJobData.ContentType) is { } text ? new ContentType(text) : null;
    public string? MessageType { get; } = ReadString(data, ScheduledMessageJobData.MessageType);
    public Guid? MessageId { get; } = ReadGuid(data, ScheduledMessageJobData.MessageId);
    public Guid? CorrelationId { get; } = ReadGuid(data, ScheduledMessageJobData.CorrelationId);
    public Guid? ConversationId { get; } = ReadGuid(data, ScheduledMessageJobData.ConversationId);
    public Guid? InitiatorId { get; } = ReadGuid(data, ScheduledMessageJobData.InitiatorId);
    public Guid? RequestId { get; } = ReadGuid(data, ScheduledMessageJobData.RequestId);
    public Guid? TokenId { get; } = ReadGuid(data, ScheduledMessageJobData.TokenId);
    public Uri? SourceAddress { get; } = ReadUri(data, ScheduledMessageJobData.SourceAddress);
    public Uri? ResponseAddress { get; } = ReadUri(data, ScheduledMessageJobData.ResponseAddress);
    public Uri? FaultAddress { get; } = ReadUri(data, ScheduledMessageJobData.FaultAddress);
    public DateTime? ExpirationTime { get; } = ReadTime(data, ScheduledMessageJobData.ExpirationTime);
    public IReadOnlyDictionary<string, object> Headers { get; } = StoredHeaders.Read(ReadString(data, ScheduledMessageJobData.HeadersAsJson));
    public DateTimeOffset FireTime { get; } = execution.FireTimeUtc;
    public DateTimeOffset? ScheduledFireTime { get; } = execution.ScheduledFireTimeUtc;

    static string? ReadString(JobDataMap data, string key) =>
        data.TryGetString(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    static Guid? ReadGuid(JobDataMap data, string key) =>
        Guid.TryParse(ReadString(data, key), out var value) ? value : null;

    static Uri? ReadUri(JobDataMap data, string key) =>
        Uri.TryCreate(ReadString(data, key), UriKind.Absolute, out var value) ? value : null;

    static DateTime? ReadTime(JobDataMap data, string key) =>
        DateTime.TryParse(ReadString(data, key), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;
}
