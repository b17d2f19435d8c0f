using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>A classified node error.</summary>
public sealed record NodeError
{
    /// <summary>Whether another attempt may help.</summary>
    public required NodeErrorKind Kind { get; init; }

    /// <summary>Human-readable message.</summary>
    public required string Message { get; init; }

    /// <summary>Machine-readable code, e.g. <c>http.status.503</c>, <c>timeout</c>, <c>lease.expired</c>.</summary>
    public string? Code { get; init; }
}

/// <summary>Error classes that drive the retry decision.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeErrorKind>))]
public enum NodeErrorKind
{
    /// <summary>Transient (timeouts, 5xx, 429, lost worker): retried while attempts remain.</summary>
    [JsonStringEnumMemberName("retryable")] Retryable,

    /// <summary>Permanent (bad input, 4xx, script error): never retried.</summary>
    [JsonStringEnumMemberName("fatal")] Fatal,
}
