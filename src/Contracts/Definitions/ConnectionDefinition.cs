namespace Workflow.Messaging.Contracts;

/// <summary>An edge: when <see cref="From"/> emits on <see cref="Output"/>, <see cref="To"/> receives it.</summary>
public sealed record ConnectionDefinition
{
    /// <summary>Source node id.</summary>
    public required string From { get; init; }

    /// <summary>Source output port: <c>main</c>, <c>error</c>, <c>true</c>/<c>false</c> for <c>if</c>, a case name for <c>switch</c>.</summary>
    public string Output { get; init; } = OutputPorts.Main;

    /// <summary>Target node id.</summary>
    public required string To { get; init; }
}
