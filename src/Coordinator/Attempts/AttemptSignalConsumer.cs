using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Attempts;

/// <summary>
/// The attempt tracker: records NodeStarted and NodeHeartbeat in batches, one upsert statement per
/// batch, on an endpoint of its own. The saga never sees a heartbeat, so a long node costs the
/// saga nothing while it runs. No inbox or outbox: the writes are idempotent and publish nothing.
/// </summary>
public sealed class AttemptSignalConsumer(IAttemptStore store, TimeProvider time) :
    IConsumer<Batch<NodeStarted>>,
    IConsumer<Batch<NodeHeartbeat>>
{
    public Task Consume(ConsumeContext<Batch<NodeStarted>> context) =>
        store.RecordAsync(context.Message.Select(m => Signal(m.Message.ExecutionId, m.Message.NodeId, m.Message.ItemIndex, m.Message.Attempt,
            m.Message.WorkerId, m.Message.StartedAt)).ToList(), context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<NodeHeartbeat>> context) =>
        store.RecordAsync(context.Message.Select(m => Signal(m.Message.ExecutionId, m.Message.NodeId, m.Message.ItemIndex, m.Message.Attempt,
            m.Message.WorkerId, startedAt: null)).ToList(), context.CancellationToken);

    // Last-seen is the coordinator's clock at consumption, the clock the watchdog compares with; a
    // worker's clock may be off, and a signal that waited in the queue proves only that the
    // attempt was alive when it was sent, which is at least as recent as this.
    private AttemptSignal Signal(Guid executionId, string nodeId, int? itemIndex, int attempt, string workerId, DateTime? startedAt) =>
        new(new AttemptKey(executionId, nodeId, itemIndex, attempt), workerId, startedAt, time.GetUtcNow().UtcDateTime);
}
