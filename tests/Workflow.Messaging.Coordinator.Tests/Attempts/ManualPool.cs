using System.Threading.Channels;
using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Tests.Attempts;

/// <summary>
/// The <c>manual</c> pool, whose only worker is the test: each ExecuteNode delivered to its queue
/// is handed to the test, which decides whether the attempt starts, beats, reports or dies.
/// </summary>
public sealed class ManualPool
{
    public const string Name = "manual";

    private readonly Channel<ExecuteNode> _deliveries = Channel.CreateUnbounded<ExecuteNode>();

    private readonly System.Collections.Concurrent.ConcurrentQueue<ExecuteNode> _delivered = new();

    internal void Deliver(ExecuteNode command)
    {
        _delivered.Enqueue(command);
        _deliveries.Writer.TryWrite(command);
    }

    /// <summary>Every delivery so far, taken or not (with a durable outbox the harness sees only serialized sends).</summary>
    public IReadOnlyList<ExecuteNode> Delivered => _delivered.ToArray();

    /// <summary>The next delivery; fails the test if none comes within <paramref name="patience"/>.</summary>
    public async Task<ExecuteNode> NextAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            return await _deliveries.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No ExecuteNode reached the {Name} pool within {patience}.");
        }
    }

    /// <summary>
    /// The next delivery for <paramref name="executionId"/>, passing over others: executions an earlier
    /// test left running on a shared database are still seen by this harness's sweeps.
    /// </summary>
    public async Task<ExecuteNode> NextAsync(Guid executionId, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var next = await NextAsync(deadline - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
            if (next.ExecutionId == executionId)
                return next;
        }
    }

    /// <summary>Deliveries received and not yet taken with <see cref="NextAsync(TimeSpan)"/>.</summary>
    public int Pending => _deliveries.Reader.Count;
}

public sealed class ManualPoolConsumer(ManualPool pool) : IConsumer<ExecuteNode>
{
    public Task Consume(ConsumeContext<ExecuteNode> context)
    {
        pool.Deliver(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class ManualPoolConsumerDefinition : ConsumerDefinition<ManualPoolConsumer>
{
    public ManualPoolConsumerDefinition() =>
        // ExecuteNode is sent to a pool's queue, never published: no exchange binding.
        Endpoint(e =>
        {
            e.Name = NodePools.QueueName(ManualPool.Name);
            e.ConfigureConsumeTopology = false;
        });
}

/// <summary>Hears every NodeHeartbeat (published, so it reaches this endpoint as well as the tracker's).</summary>
public sealed class HeartbeatWitness
{
    private readonly Lock _gate = new();
    private readonly List<(Guid ExecutionId, string NodeId, int Count, TaskCompletionSource Heard)> _waiters = [];
    private readonly Dictionary<(Guid, string), int> _counts = [];

    internal void Saw(NodeHeartbeat beat)
    {
        lock (_gate)
        {
            var count = _counts[(beat.ExecutionId, beat.NodeId)] = _counts.GetValueOrDefault((beat.ExecutionId, beat.NodeId)) + 1;
            foreach (var waiter in _waiters.Where(w => w.ExecutionId == beat.ExecutionId && w.NodeId == beat.NodeId && count >= w.Count).ToList())
            {
                waiter.Heard.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> heartbeats of the node have been heard.</summary>
    public Task HeardAsync(Guid executionId, string nodeId, int count)
    {
        lock (_gate)
        {
            if (_counts.GetValueOrDefault((executionId, nodeId)) >= count)
                return Task.CompletedTask;
            var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((executionId, nodeId, count, heard));
            return heard.Task;
        }
    }
}

public sealed class HeartbeatWitnessConsumer(HeartbeatWitness witness) : IConsumer<NodeHeartbeat>
{
    public Task Consume(ConsumeContext<NodeHeartbeat> context)
    {
        witness.Saw(context.Message);
        return Task.CompletedTask;
    }
}
