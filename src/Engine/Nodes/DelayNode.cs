using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>
/// Holds a worker slot for <c>duration</c>, then passes its input on. For long pauses use
/// <c>wait</c>, which the coordinator holds as a durable timer without occupying a worker.
/// </summary>
public sealed class DelayNode : INodeExecutor
{
    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.Delay,
        RequiredParameters = ["duration"],
        ValidateParameters = parameters => DurationParameter.Validate(parameters, "duration"),
    };

    public async Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(DurationParameter.Require(context, "duration"), cancellationToken);
        return NodeResult.Main(context.Input);
    }
}
