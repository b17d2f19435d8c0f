namespace Workflow.Messaging.Contracts;

/// <summary>One thing wrong with a definition.</summary>
public sealed record DefinitionProblem
{
    /// <summary>JSON path of the offending value, e.g. <c>$.nodes[2].retry.maxAttempts</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Stable code, e.g. <c>cycle</c>, <c>unknown-node-type</c>.</summary>
    public required string Code { get; init; }

    /// <summary>What is wrong, in a sentence.</summary>
    public required string Message { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message} ({Code})";
}
