namespace Workflow.Messaging.Engine.Validation;

/// <summary>
/// Size bounds of a definition. They protect the coordinator, which snapshots a definition
/// into every execution, from documents that would make each saga step expensive.
/// </summary>
public sealed record DefinitionLimits
{
    public static DefinitionLimits Default { get; } = new();

    public int MaxNodes { get; init; } = 1000;

    public int MaxConnections { get; init; } = 5000;

    /// <summary>Largest definition in UTF-8 bytes (1 MiB by default).</summary>
    public int MaxBytes { get; init; } = 1024 * 1024;

    /// <summary>Past this many problems the list ends with one <c>too-many-problems</c> entry.</summary>
    public int MaxProblems { get; init; } = 500;
}
