using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Node types the coordinator holds itself, so no executor exists for them.</summary>
public static class HeldNodeTypes
{
    /// <summary>Pauses the branch for <c>duration</c> on a durable timer.</summary>
    public static NodeTypeDescriptor Wait { get; } = new()
    {
        Type = BuiltInNodeTypes.Wait,
        Placement = NodePlacement.Timer,
        RequiredParameters = ["duration"],
        ValidateParameters = parameters => DurationParameter.Validate(parameters, "duration"),
    };

    /// <summary>Waits for a SubmitDecision; an optional <c>timeout</c> bounds the wait.</summary>
    public static NodeTypeDescriptor Approval { get; } = new()
    {
        Type = BuiltInNodeTypes.Approval,
        Placement = NodePlacement.Approval,
        Ports = ["approved", "rejected"],
        ValidateParameters = parameters => DurationParameter.Validate(parameters, "timeout"),
    };
}
