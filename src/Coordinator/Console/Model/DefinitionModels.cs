using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api.Models;

namespace Workflow.Messaging.Coordinator.Console.Model;

public sealed record DefinitionListModel(IReadOnlyList<DefinitionSummary> Definitions);

/// <summary>One stored version and its graph.</summary>
public sealed record DefinitionPageModel(WorkflowDefinition Definition, IReadOnlyList<int> Versions, string GraphSvg, IReadOnlyList<PoolLink> Pools);

/// <summary>
/// A definition checked by the console's editor: its graph drawn from whatever parsed, each problem
/// at the node it concerns (badges on the graph and a list per node), and those that concern no node.
/// </summary>
public sealed record DefinitionPreviewModel
{
    public required bool Valid { get; init; }
    public required string GraphSvg { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<DefinitionProblem>> ByNode { get; init; }
    public required IReadOnlyList<DefinitionProblem> Elsewhere { get; init; }
}
