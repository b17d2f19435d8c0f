namespace Workflow.Messaging.Engine.Executors;

/// <summary>
/// Runs one node type. The same abstraction serves workers and the coordinator: a descriptor
/// with <see cref="NodePlacement.Inline"/> is run by the coordinator inside its saga step.
/// Executors are singletons and must be stateless; per-attempt data comes in the context.
/// </summary>
public interface INodeExecutor
{
    /// <summary>What the node type is called, what it needs and where it runs.</summary>
    NodeTypeDescriptor Descriptor { get; }

    /// <summary>
    /// Runs one attempt. Return an output, or throw: <see cref="NodeExecutionException"/> carries
    /// an explicit classification; other exceptions are classified by <see cref="ErrorClassifier"/>.
    /// </summary>
    Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken);
}
