using MassTransit;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Worker;

/// <summary>
/// Runs on a temporary endpoint of each worker instance, so every instance sees every
/// CancelRunningNodes and stops its own attempts of that execution.
/// </summary>
public sealed class CancelRunningNodesConsumer(RunningNodes running, ILogger<CancelRunningNodesConsumer> logger) : IConsumer<CancelRunningNodes>
{
    public Task Consume(ConsumeContext<CancelRunningNodes> context)
    {
        var cancelled = running.Cancel(context.Message.ExecutionId, context.Message.Reason);
        if (cancelled > 0)
            logger.LogInformation("Cancelled {Count} running attempt(s) of execution {ExecutionId}: {Reason}",
                cancelled, context.Message.ExecutionId, context.Message.Reason);
        return Task.CompletedTask;
    }
}
