using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>When a node with several incoming connections runs.</summary>
public sealed record JoinPolicy
{
    /// <summary>The join rule.</summary>
    public JoinMode Mode { get; init; } = JoinMode.All;

    /// <summary>For <see cref="JoinMode.NOfM"/>: how many incoming connections must deliver.</summary>
    public int? Count { get; init; }
}

/// <summary>Join rules. Connections not taken (dead paths) count as resolved, never as delivered.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JoinMode>))]
public enum JoinMode
{
    /// <summary>Wait until every incoming connection has delivered or been skipped; run if at least one delivered.</summary>
    [JsonStringEnumMemberName("all")] All,

    /// <summary>Run as soon as the first incoming connection delivers; later ones are ignored.</summary>
    [JsonStringEnumMemberName("any")] Any,

    /// <summary>Run as soon as <see cref="JoinPolicy.Count"/> incoming connections have delivered.</summary>
    [JsonStringEnumMemberName("nOfM")] NOfM,
}
