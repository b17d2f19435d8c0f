using Workflow.Messaging.Bench.Measurement;

namespace Workflow.Messaging.Bench;

/// <summary>One measured run, as printed and as written to bench/results.</summary>
internal sealed record BenchResult
{
    public required string Label { get; init; }
    public required string Mode { get; init; }
    public required string Workflow { get; init; }
    public required int Executions { get; init; }
    public required int Concurrency { get; init; }
    public required int Workers { get; init; }
    public required int NodesPerExecution { get; init; }
    public required double Seconds { get; init; }
    public required int Succeeded { get; init; }
    public required int NotSucceeded { get; init; }
    public required int Unfinished { get; init; }
    public required int ReportedTwice { get; init; }
    public double ExecutionsPerSecond => Seconds > 0 ? (Executions - Unfinished) / Seconds : 0;
    public double NodeExecutionsPerSecond => ExecutionsPerSecond * NodesPerExecution;
    public required LatencySummary StartToFinishMs { get; init; }
    public required LatencySummary DispatchToStartMs { get; init; }
    public double? PostgresTransactionsPerNode { get; init; }
    public double? BrokerMessagesPerNode { get; init; }
    public double? InProcessMessagesPerNode { get; init; }
    public IReadOnlyDictionary<string, double>? ConsumedPerExecution { get; init; }
    public required double CoordinatorCpuSeconds { get; init; }
    public required double CoordinatorPeakMb { get; init; }
    public double? WorkersCpuSeconds { get; init; }
    public double? WorkersPeakMb { get; init; }
    public required IReadOnlyList<double> CoordinatorRssQuintilesMb { get; init; }
    public double? HeldExecutions { get; init; }
    public double? CoordinatorManagedHeapMb { get; init; }
    public Baseline.BaselineResult? Baseline { get; init; }
    public double? FractionOfCeiling => Baseline?.NodeCeilingPerSecond is > 0 and var c ? NodeExecutionsPerSecond / c : null;
    public double? FractionOfSharedCeiling => Baseline?.NodeCeilingSharedPerSecond is > 0 and var c ? NodeExecutionsPerSecond / c : null;
    public string MachineLoad { get; init; } = "";
}
