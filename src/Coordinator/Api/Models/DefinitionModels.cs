using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Api.Models;

/// <summary>A stored workflow: its versions and the latest one's name.</summary>
public sealed record DefinitionSummary(string Id, string? Name, int LatestVersion, IReadOnlyList<int> Versions);

/// <summary>The answer of <c>POST /api/definitions/validate</c>.</summary>
public sealed record ValidationResult(bool Valid, IReadOnlyList<DefinitionProblem> Problems);
