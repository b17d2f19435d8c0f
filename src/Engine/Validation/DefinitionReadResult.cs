using System.Diagnostics.CodeAnalysis;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>What <see cref="DefinitionReader"/> made of a document.</summary>
public sealed record DefinitionReadResult
{
    /// <summary>
    /// The definition whenever the document had the right shape, even if it then failed semantic
    /// checks (an editor may still want to show it); check <see cref="IsValid"/> before running it.
    /// </summary>
    public WorkflowDefinition? Definition { get; init; }

    public IReadOnlyList<DefinitionProblem> Problems { get; init; } = [];

    [MemberNotNullWhen(true, nameof(Definition))]
    public bool IsValid => Definition is not null && Problems.Count == 0;
}
