using System.Collections.Concurrent;
using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Chaos;

/// <summary>
/// Every node transition the coordinator reported, with redelivered copies of one progress event
/// (same message id) counted once: what remains is what the saga recorded. A node instance with
/// two recorded successes means a result was applied twice.
/// </summary>
internal sealed class ProgressLedger
{
    private readonly ConcurrentDictionary<Guid, byte> _seenMessages = new();
    private readonly ConcurrentDictionary<(Guid Execution, string Node, int? Item), int> _successes = new();
    private int _redelivered;

    public int RedeliveredEvents => _redelivered;

    public IReadOnlyDictionary<(Guid Execution, string Node, int? Item), int> Successes => _successes;

    public void Record(Guid? messageId, ExecutionProgressed progressed)
    {
        if (messageId is { } id && !_seenMessages.TryAdd(id, 0))
        {
            Interlocked.Increment(ref _redelivered);
            return;
        }
        foreach (var t in progressed.Transitions.Where(t => t.Status == NodeStatus.Succeeded))
            _successes.AddOrUpdate((progressed.ExecutionId, t.NodeId, t.ItemIndex), 1, (_, n) => n + 1);
    }
}

internal sealed class ProgressLedgerConsumer(ProgressLedger ledger) : IConsumer<ExecutionProgressed>
{
    public Task Consume(ConsumeContext<ExecutionProgressed> context)
    {
        ledger.Record(context.MessageId, context.Message);
        return Task.CompletedTask;
    }
}
