using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>One step of a workflow.</summary>
public sealed record NodeDefinition
{
    /// <summary>Unique id within the workflow; connections and templates refer to it.</summary>
    public required string Id { get; init; }

    /// <summary>Node type, e.g. <c>http</c>, <c>if</c>, <c>set</c>; resolved by the executor registry.</summary>
    public required string Type { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>Type-specific parameters; string values may contain <c>{{ ... }}</c> templates.</summary>
    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>How often and how fast a failed attempt is retried; none means one attempt.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>Longest one attempt may run before it is cancelled and counted as a retryable failure.</summary>
    [JsonConverter(typeof(NullableDurationJsonConverter))]
    public TimeSpan? Timeout { get; init; }

    /// <summary>What happens when the last attempt fails.</summary>
    public ErrorStrategy OnError { get; init; } = ErrorStrategy.StopWorkflow;

    /// <summary>When a node with several incoming connections becomes ready; default: all.</summary>
    public JoinPolicy? Join { get; init; }

    /// <summary>Run one instance of the node per item of a list instead of once.</summary>
    public FanOutDefinition? FanOut { get; init; }

    /// <summary>Worker pool whose queue receives this node's work; default <c>default</c>.</summary>
    public string? Pool { get; init; }

    /// <summary>
    /// A named resource the node uses (an API, a database): every attempt of every workflow naming
    /// it shares the limit the coordinators configure for it (<c>Admission:Resources:&lt;name&gt;</c>).
    /// </summary>
    public string? Resource { get; init; }
}
