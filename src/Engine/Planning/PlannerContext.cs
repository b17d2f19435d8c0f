using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Planning;

/// <summary>What the planner needs from its host besides node states: kept to plain delegates so it stays pure and testable.</summary>
public sealed record PlannerContext
{
    /// <summary>Where a node type runs; decides Running versus Waiting and what counts against the parallelism limit.</summary>
    public required Func<string, NodePlacement> PlacementOf { get; init; }

    /// <summary>Uniform samples in [0, 1) for retry jitter.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>Timeout of a node that sets none.</summary>
    public TimeSpan DefaultNodeTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Added to a node's timeout to form its lease: covers queue wait and result delivery.</summary>
    public TimeSpan LeaseGrace { get; init; } = TimeSpan.FromMinutes(5);
}
