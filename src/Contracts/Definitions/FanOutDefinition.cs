namespace Workflow.Messaging.Contracts;

/// <summary>Runs a node once per element of a JSON array; outputs are joined in item order.</summary>
public sealed record FanOutDefinition
{
    /// <summary>Template that yields the array, e.g. <c>{{ $input.orders }}</c>.</summary>
    public required string Items { get; init; }
}
