using MassTransit;
using Workflow.Messaging.Bench.Measurement;

namespace Workflow.Messaging.Bench.Fleet;

/// <summary>Where the bench's executions run: the embedded fleet in this process or the real one in separate processes.</summary>
internal interface IBenchFleet : IAsyncDisposable
{
    string Mode { get; }

    /// <summary>The bus the bench publishes StartWorkflow on and receives terminal events from.</summary>
    IBus Bus { get; }

    /// <summary>The first coordinator (the one the chaos run kills).</summary>
    ProcessProbe Coordinator { get; }

    /// <summary>Every coordinator process, the first included; their CPU is what a node step costs.</summary>
    IReadOnlyList<ProcessProbe> Coordinators => [Coordinator];

    IReadOnlyList<ProcessProbe> Workers { get; }

    /// <summary>Transactions committed so far in the fleet's database, when it has one.</summary>
    Task<long?> CommittedTransactionsAsync(CancellationToken cancellation);

    /// <summary>Messages published to the fleet's broker so far, when it has one.</summary>
    Task<long?> PublishedMessagesAsync(CancellationToken cancellation);
}
