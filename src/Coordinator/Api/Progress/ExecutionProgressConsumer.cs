using System.Text.Json;
using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Api.Progress;

/// <summary>
/// Feeds the hub from the bus. It runs on a temporary endpoint of each coordinator instance, so
/// every instance hears every execution's events, whichever instance runs its saga step.
/// </summary>
public sealed class ExecutionProgressConsumer(ExecutionProgressHub hub) :
    IConsumer<ExecutionProgressed>,
    IConsumer<ExecutionPaused>,
    IConsumer<ExecutionResumed>,
    IConsumer<ExecutionSucceeded>,
    IConsumer<ExecutionFailed>,
    IConsumer<ExecutionCancelled>,
    IConsumer<ExecutionTimedOut>,
    IConsumer<ExecutionRejected>
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public Task Consume(ConsumeContext<ExecutionProgressed> context) =>
        Send(context.Message.ExecutionId, "progress", new { context.Message.ExecutionId, context.Message.At, context.Message.Transitions });

    public Task Consume(ConsumeContext<ExecutionPaused> context) =>
        Send(context.Message.ExecutionId, "paused", new { context.Message.ExecutionId, context.Message.At });

    public Task Consume(ConsumeContext<ExecutionResumed> context) =>
        Send(context.Message.ExecutionId, "resumed", new { context.Message.ExecutionId, context.Message.At });

    public Task Consume(ConsumeContext<ExecutionSucceeded> context) => Finished(context.Message, new { context.Message.Outputs });

    public Task Consume(ConsumeContext<ExecutionFailed> context) =>
        Finished(context.Message, new { context.Message.FailedNodeId, context.Message.Error });

    public Task Consume(ConsumeContext<ExecutionCancelled> context) => Finished(context.Message, new { context.Message.Reason });

    public Task Consume(ConsumeContext<ExecutionTimedOut> context) => Finished(context.Message, new { });

    public Task Consume(ConsumeContext<ExecutionRejected> context) => Finished(context.Message, new { context.Message.Problems });

    private Task Finished(ExecutionFinished finished, object details) =>
        Send(finished.ExecutionId, "finished", new { finished.ExecutionId, finished.Status, finished.FinishedAt, details }, final: true);

    private Task Send(Guid executionId, string name, object data, bool final = false)
    {
        hub.Publish(executionId, () => new ExecutionStreamEvent(name, JsonSerializer.Serialize(data, Json), final));
        return Task.CompletedTask;
    }
}
