using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// Node attempts under a resource or node-type limit: the saga sends their ExecuteNode to the
/// admission queue instead of the pool's, and admission forwards it once the attempt holds its
/// slots (at once, or from the queue when a slot comes back). The slots go back when the saga
/// records the attempt's result, or with the execution's end.
/// </summary>
public static class NodeAdmission
{
    public const string QueueName = "workflow-node-admission";
    public const string DestinationHeader = "WF-Destination";

    /// <summary>Where the saga sends an attempt: the pool's queue, or admission's for a limited node.</summary>
    public static async Task SendAsync(ConsumeContext context, NodeDefinition node, ExecuteNode command, AdmissionOptions options)
    {
        var pool = NodePools.QueueName(node.Pool);
        if (NodeLimits.For(node, options).Count == 0)
        {
            var endpoint = await context.GetSendEndpoint(new Uri($"queue:{pool}"));
            await endpoint.Send(command, context.CancellationToken);
            return;
        }
        var admission = await context.GetSendEndpoint(new Uri($"queue:{QueueName}"));
        await admission.Send(command, x =>
        {
            x.Headers.Set(DestinationHeader, pool);
            if (node.Resource is not null)
                x.Headers.Set(ResourceHeader, node.Resource);
        }, context.CancellationToken);
    }

    public const string ResourceHeader = "WF-Resource";

    /// <summary>The saga recorded an attempt's result: its slots go back (only for a limited node; nothing is asked otherwise).</summary>
    public static async Task ReleaseAttemptAsync(BehaviorContext<WorkflowExecutionState> context, string nodeId, int? itemIndex, int attempt)
    {
        if (string.IsNullOrEmpty(context.Saga.DefinitionJson))
            return;
        var graph = context.GetServiceOrCreateInstance<ExecutionGraphCache>().Get(context.Saga.DefinitionJson);
        if (!graph.Contains(nodeId))
            return;
        var demands = NodeLimits.For(graph.Node(nodeId), context.GetServiceOrCreateInstance<IOptions<AdmissionOptions>>().Value);
        if (demands.Count == 0)
            return;
        await context.GetServiceOrCreateInstance<IAdmissionStore>()
            .ReleaseHolderAsync(NodeLimits.Holder(context.Saga.CorrelationId, nodeId, attempt, itemIndex), context.CancellationToken);
        await context.Send(new Uri($"queue:{ExecutionAdmission.QueueName}"), new CheckAdmission { LimitKeys = demands.Select(d => d.Key).ToList() });
    }

    /// <summary>
    /// A rate frees its slots by time, not by a release: whoever leaves attempts waiting on one asks
    /// for a pass at the moment its next slot frees (through the message scheduler).
    /// </summary>
    public static async Task ScheduleRateWakeUpAsync(ConsumeContext context, IAdmissionStore store, IEnumerable<LimitDemand> demands, DateTime now)
    {
        foreach (var rate in demands.Where(d => d.IsRate))
        {
            var next = await store.NextRateSlotAsync(rate.Key, rate.Capacity, now, context.CancellationToken) ?? now;
            if (!await store.ClaimWakeUpAsync(rate.Key, next, now, context.CancellationToken))
                continue;
            var delay = next - now;
            await context.ScheduleSend(new Uri($"queue:{ExecutionAdmission.QueueName}"), delay < TimeSpan.Zero ? TimeSpan.Zero : delay,
                new CheckAdmission { LimitKeys = [rate.Key] }, context.CancellationToken);
        }
    }

    /// <summary>The rate demand behind a <c>rate:&lt;resource&gt;</c> key, as the options say now; null when none is configured.</summary>
    public static LimitDemand? RateOf(string key, AdmissionOptions options) =>
        key.StartsWith("rate:", StringComparison.Ordinal)
        && options.Resources.TryGetValue(key["rate:".Length..], out var limit) && limit.MaxStarts is { } starts && limit.RatePeriod > TimeSpan.Zero
            ? new LimitDemand(key, starts, limit.RatePeriod)
            : null;

    internal static string Park(ExecuteNode command) => JsonSerializer.Serialize(command, WorkflowJson.Options);

    internal static ExecuteNode Unpark(string payload) =>
        JsonSerializer.Deserialize<ExecuteNode>(payload, WorkflowJson.Options) ?? throw new InvalidOperationException("A parked ExecuteNode is empty.");
}
