using System.Collections.Concurrent;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Coordinator.Tests;

/// <summary>
/// A worker node that runs until the test opens its gate: lets a test hold a node in flight
/// for exactly as long as it needs, without timing assumptions.
/// </summary>
public sealed class GateNode(GateNodeControl control) : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new() { Type = "gate" };

    public async Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        var gate = control.For(context.NodeId);
        Interlocked.Increment(ref gate.Entries);
        gate.Entered.TrySetResult();
        await gate.Open.Task.WaitAsync(cancellationToken);
        return NodeResult.Main(context.Input);
    }
}

public sealed class GateNodeControl
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new();

    public Gate For(string nodeId) => _gates.GetOrAdd(nodeId, _ => new Gate());

    public sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Deliveries that reached the node: more than one means the attempt was dispatched again.</summary>
        public int Entries;
    }
}
