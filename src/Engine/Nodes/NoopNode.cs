using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Passes its input through; a placeholder and a join point.</summary>
public sealed class NoopNode : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new() { Type = BuiltInNodeTypes.Noop, Placement = NodePlacement.Inline };

    public Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(NodeResult.Main(context.Input));
}
