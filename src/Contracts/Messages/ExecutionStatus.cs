using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>Lifecycle of an execution. Persisted and sent by name, never by number.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    /// <summary>Accepted, not yet running.</summary>
    [JsonStringEnumMemberName("created")] Created,
    /// <summary>Waiting for a concurrency limit that applies to it (see the execution's <c>waitingFor</c>).</summary>
    [JsonStringEnumMemberName("queued")] Queued,
    /// <summary>Nodes are being dispatched.</summary>
    [JsonStringEnumMemberName("running")] Running,
    /// <summary>Dispatch held by an operator.</summary>
    [JsonStringEnumMemberName("paused")] Paused,
    /// <summary>Every path ended; no node failed under stopWorkflow.</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    /// <summary>A node failed under stopWorkflow.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Cancelled on request.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>The execution deadline passed.</summary>
    [JsonStringEnumMemberName("timedOut")] TimedOut,
    /// <summary>The definition was invalid; nothing ran.</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,
}
