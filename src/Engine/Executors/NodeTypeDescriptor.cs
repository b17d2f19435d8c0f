using System.Text.Json;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>Static facts about a node type, used by validation, the planner and dispatch.</summary>
public sealed record NodeTypeDescriptor
{
    /// <summary>The type name used in definitions.</summary>
    public required string Type { get; init; }

    /// <summary>Where an attempt runs.</summary>
    public NodePlacement Placement { get; init; } = NodePlacement.Worker;

    /// <summary>Parameters a definition must give.</summary>
    public IReadOnlyList<string> RequiredParameters { get; init; } = [];

    /// <summary>
    /// Output ports the type can emit besides <c>error</c>; null when they depend on the
    /// parameters (switch cases), in which case <see cref="PortsFromParameters"/> names them.
    /// </summary>
    public IReadOnlyList<string>? Ports { get; init; } = ["main"];

    /// <summary>Ports derived from parameters, for types whose ports are configurable.</summary>
    public Func<IReadOnlyDictionary<string, JsonElement>, IReadOnlyList<string>>? PortsFromParameters { get; init; }

    /// <summary>Extra checks of the parameters; each problem names its parameter.</summary>
    public Func<IReadOnlyDictionary<string, JsonElement>, IEnumerable<ParameterProblem>>? ValidateParameters { get; init; }
}

/// <summary>A problem with one parameter of a node.</summary>
/// <param name="Parameter">Parameter name (the JSON path is added by the validator).</param>
/// <param name="Message">What is wrong.</param>
public sealed record ParameterProblem(string Parameter, string Message);

/// <summary>Where a node type's attempts run.</summary>
public enum NodePlacement
{
    /// <summary>On a worker of the node's pool, via an ExecuteNode message.</summary>
    Worker,

    /// <summary>In the coordinator, synchronously inside the saga step: only for cheap, pure control flow.</summary>
    Inline,

    /// <summary>Held by the coordinator as a durable timer (<c>wait</c>); no worker is held.</summary>
    Timer,

    /// <summary>Held by the coordinator until a SubmitDecision arrives or its timeout passes (<c>approval</c>).</summary>
    Approval,
}
