using System.Collections.Concurrent;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Worker.Tests;

/// <summary>A custom node type that records the idempotency key of every attempt it runs.</summary>
internal sealed class RecordingNode : INodeExecutor
{
    public static readonly ConcurrentQueue<(Guid ExecutionId, string Key)> Keys = new();

    public NodeTypeDescriptor Descriptor { get; } = new() { Type = "record" };

    public Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        Keys.Enqueue((context.ExecutionId, context.IdempotencyKey));
        return Task.FromResult(NodeResult.Empty());
    }
}
