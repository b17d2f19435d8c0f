using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// Runs admission passes over the limits a <see cref="CheckAdmission"/> names. Behind the outbox:
/// the slots claimed for an execution and the <see cref="AdmitExecution"/> that tells it (or, for
/// a parked node attempt, its ExecuteNode forwarded to the pool) commit together, so a claimed slot
/// is never left without its holder knowing.
/// </summary>
public sealed class CheckAdmissionConsumer(IAdmissionStore store, IOptions<AdmissionOptions> options, TimeProvider time) : IConsumer<CheckAdmission>
{
    // Keys come from our own messages; the bound only keeps one message from becoming an endless pass.
    private const int MaxKeysPerMessage = 16;

    public async Task Consume(ConsumeContext<CheckAdmission> context)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var saga = await context.GetSendEndpoint(new Uri($"queue:{WorkflowExecutionStateDefinition.QueueName}"));
        // Keys in one order in every pass, so two passes lock their limit rows in the same order.
        foreach (var key in context.Message.LimitKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxKeysPerMessage))
        {
            var admitted = await store.AdmitWaitingAsync(key, now, now + options.Value.SlotLease, options.Value.PassSize, context.CancellationToken);
            foreach (var entry in admitted)
            {
                AdmissionTelemetry.Admitted(entry.Holder.IsExecution ? "execution" : "node", now - entry.EnqueuedAt);
                if (entry.Parked is { } parked)
                    await context.Send(new Uri($"queue:{parked.Destination}"), NodeAdmission.Unpark(parked.Payload));
                else
                    await saga.Send(new AdmitExecution { ExecutionId = entry.Holder.ExecutionId, AdmittedAt = now }, context.CancellationToken);
            }
            // A full pass may have left more that could go now (an opened pool gate lets everyone in):
            // the next pass follows this one's commit instead of waiting for the sweeper.
            if (admitted.Count >= options.Value.PassSize)
                await context.Send(new Uri($"queue:{ExecutionAdmission.QueueName}"), new CheckAdmission { LimitKeys = [key] });
            if (NodeAdmission.RateOf(key, options.Value) is { } rate && await store.AnyWaitingAsync([key], context.CancellationToken))
                await NodeAdmission.ScheduleRateWakeUpAsync(context, store, [rate], now);
        }
    }
}
