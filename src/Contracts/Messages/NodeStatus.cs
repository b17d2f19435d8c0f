using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>Lifecycle of a node within one execution.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeStatus>))]
public enum NodeStatus
{
    /// <summary>Its join is not yet satisfied.</summary>
    [JsonStringEnumMemberName("pending")] Pending,
    /// <summary>Join satisfied; waiting for a dispatch slot (or for resume).</summary>
    [JsonStringEnumMemberName("ready")] Ready,
    /// <summary>Dispatched to a worker.</summary>
    [JsonStringEnumMemberName("running")] Running,
    /// <summary>Held by the coordinator: a timer or an approval.</summary>
    [JsonStringEnumMemberName("waiting")] Waiting,
    /// <summary>Failed; the next attempt is scheduled.</summary>
    [JsonStringEnumMemberName("retryScheduled")] RetryScheduled,
    /// <summary>Finished with an output.</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    /// <summary>Failed with no attempts left.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Not on a path that was taken (dead-path elimination).</summary>
    [JsonStringEnumMemberName("skipped")] Skipped,
    /// <summary>Stopped because the execution ended first.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}
