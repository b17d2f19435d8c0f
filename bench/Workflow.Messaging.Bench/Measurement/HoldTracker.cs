using System.Collections.Concurrent;
using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>Counts executions that reached a waiting node, for the "many executions held at once" measurement.</summary>
internal sealed class HoldTracker
{
    private readonly ConcurrentDictionary<Guid, byte> _held = new();
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected = int.MaxValue;

    public int Held => _held.Count;

    public Task AllHeld => _all.Task;

    public void Expect(int count)
    {
        _expected = count;
        if (_held.Count >= count)
            _all.TrySetResult();
    }

    public void Progressed(ExecutionProgressed progressed)
    {
        if (progressed.Transitions.Any(t => t.Status == NodeStatus.Waiting) && _held.TryAdd(progressed.ExecutionId, 0) && _held.Count >= _expected)
            _all.TrySetResult();
    }
}

internal sealed class HoldWatcher(HoldTracker holds) : IConsumer<ExecutionProgressed>
{
    public Task Consume(ConsumeContext<ExecutionProgressed> context)
    {
        holds.Progressed(context.Message);
        return Task.CompletedTask;
    }
}
