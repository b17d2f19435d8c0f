namespace Workflow.Messaging.Contracts;

/// <summary>StartWorkflow was refused: the definition is missing or invalid. Nothing ran.</summary>
public sealed record ExecutionRejected : ExecutionFinished
{
    /// <inheritdoc />
    public required Guid ExecutionId { get; init; }

    /// <inheritdoc />
    public ExecutionStatus Status => ExecutionStatus.Rejected;

    /// <inheritdoc />
    public required DateTime FinishedAt { get; init; }

    /// <summary>Every problem found, each naming its JSON path.</summary>
    public required IReadOnlyList<DefinitionProblem> Problems { get; init; }
}
