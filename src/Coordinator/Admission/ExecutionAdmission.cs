using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission.Pools;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// What the saga asks of admission, inside its own step. When no limit applies to an execution
/// (decided from its definition snapshot and the options, without the database) every call returns
/// at once: an unlimited execution costs no statement and no message.
/// </summary>
public static class ExecutionAdmission
{
    public const string QueueName = "workflow-admission";

    /// <summary>
    /// Admits the execution now (a slot of every limit claimed) unless an execution already waits
    /// for one of its limits, a limit is full or a pool it dispatches to is past its bound (see
    /// <see cref="PoolLimits"/>); then it joins the queues, announces
    /// <see cref="ExecutionQueued"/> and asks for an admission pass after the step commits.
    /// </summary>
    public static async Task RequestAsync(BehaviorContext<WorkflowExecutionState> context, int priority)
    {
        var decision = Decision(context);
        decision.Admitted = true;
        var slots = Demands(context);
        var pools = PoolDemands(context);
        if (slots.Count == 0 && pools.Count == 0)
            return;
        var demands = pools.Count == 0 ? slots : [.. slots.Concat(pools).OrderBy(d => d.Key, StringComparer.Ordinal)];
        var (store, options, now) = Resolve(context);
        var saga = context.Saga;
        var keys = demands.Select(d => d.Key).ToList();
        // A closed pool gate queues the start without asking the database whether it may run.
        var gates = pools.Count == 0 ? null : context.GetServiceOrCreateInstance<PoolGates>();
        var gateClosed = gates is not null && pools.Any(p => !gates.IsOpen(p.Key));
        if (!gateClosed
            && !await store.AnyWaitingAsync(keys, context.CancellationToken)
            && await store.TryAcquireAsync(AdmissionHolder.Execution(saga.CorrelationId), demands, now, now + options.SlotLease, context.CancellationToken))
            return;

        decision.Admitted = false;
        await store.EnqueueAsync(AdmissionHolder.Execution(saga.CorrelationId), demands, priority, now, parked: null, context.CancellationToken);
        await context.Publish(new ExecutionQueued
        {
            ExecutionId = saga.CorrelationId, WorkflowId = saga.WorkflowId, WorkflowVersion = saga.WorkflowVersion, QueuedAt = now,
            WaitingFor = gates is null ? keys : keys.Select(gates.Describe).ToList(),
        });
        // Closes the race with a release that committed while this step ran: the pass runs after both.
        await SendCheckAsync(context, keys);
    }

    /// <summary>
    /// An AdmitExecution reached a queued execution: it runs if it holds its slots. A stale one (the
    /// slots were reclaimed, or it predates a retry) sends the execution through admission again.
    /// </summary>
    public static async Task ConfirmAsync(BehaviorContext<WorkflowExecutionState> context)
    {
        var demands = Demands(context);
        var store = context.GetServiceOrCreateInstance<IAdmissionStore>();
        if (demands.Count == 0 || await store.HeldByAsync(AdmissionHolder.Execution(context.Saga.CorrelationId), context.CancellationToken) >= demands.Count)
        {
            Decision(context).Admitted = true;
            return;
        }
        await RequestAsync(context, priority: 0);
    }

    /// <summary>
    /// The execution ended (or an admission reached it after it ended): its slots, its attempts'
    /// slots and its queue places go, and the queues are looked at again.
    /// </summary>
    public static async Task ReleaseAsync(BehaviorContext<WorkflowExecutionState> context)
    {
        if (string.IsNullOrEmpty(context.Saga.DefinitionJson))
            return;
        var definition = context.GetServiceOrCreateInstance<ExecutionGraphCache>().Get(context.Saga.DefinitionJson).Definition;
        var options = context.GetServiceOrCreateInstance<IOptions<AdmissionOptions>>().Value;
        var keys = ExecutionLimits.For(definition, options).Select(d => d.Key)
            .Concat(definition.Nodes.SelectMany(n => NodeLimits.For(n, options)).Select(d => d.Key))
            .Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
            return;
        await context.GetServiceOrCreateInstance<IAdmissionStore>().ReleaseAsync(context.Saga.CorrelationId, context.CancellationToken);
        await SendCheckAsync(context, keys);
    }

    /// <summary>
    /// A queued execution is cancelled. One that waits only for pool gates holds no slot, so the end's
    /// release (which looks at slot limits only) would not see its queue places: they go here.
    /// </summary>
    public static async Task LeaveQueueAsync(BehaviorContext<WorkflowExecutionState> context)
    {
        var pools = PoolDemands(context);
        if (pools.Count == 0 || Demands(context).Count > 0)
            return;
        await context.GetServiceOrCreateInstance<IAdmissionStore>().ReleaseAsync(context.Saga.CorrelationId, context.CancellationToken);
        await SendCheckAsync(context, pools.Select(p => p.Key).ToList());
    }

    /// <summary>The last <see cref="RequestAsync"/> or <see cref="ConfirmAsync"/> of this step let the execution run.</summary>
    public static bool Admitted(BehaviorContext<WorkflowExecutionState> context) =>
        context.TryGetPayload<AdmissionDecision>(out var decision) && decision.Admitted;

    private static IReadOnlyList<LimitDemand> Demands(BehaviorContext<WorkflowExecutionState> context)
    {
        if (string.IsNullOrEmpty(context.Saga.DefinitionJson))
            return [];
        var definition = context.GetServiceOrCreateInstance<ExecutionGraphCache>().Get(context.Saga.DefinitionJson).Definition;
        return ExecutionLimits.For(definition, context.GetServiceOrCreateInstance<IOptions<AdmissionOptions>>().Value);
    }

    /// <summary>The gates of the bounded pools the execution dispatches to; none (and nothing resolved) when no pool is bounded.</summary>
    private static IReadOnlyList<LimitDemand> PoolDemands(BehaviorContext<WorkflowExecutionState> context)
    {
        if (string.IsNullOrEmpty(context.Saga.DefinitionJson))
            return [];
        var options = context.GetServiceOrCreateInstance<IOptions<AdmissionOptions>>().Value;
        if (options.Pools.Count == 0)
            return [];
        var services = context.GetServiceOrCreateInstance<ExecutionServices>();
        return PoolLimits.For(services.Graphs.Get(context.Saga.DefinitionJson).Definition, options, services.Catalog);
    }

    private static (IAdmissionStore Store, AdmissionOptions Options, DateTime Now) Resolve(BehaviorContext<WorkflowExecutionState> context) =>
        (context.GetServiceOrCreateInstance<IAdmissionStore>(),
            context.GetServiceOrCreateInstance<IOptions<AdmissionOptions>>().Value,
            context.GetServiceOrCreateInstance<TimeProvider>().GetUtcNow().UtcDateTime);

    private static Task SendCheckAsync(ConsumeContext context, IReadOnlyList<string> keys) =>
        context.Send(new Uri($"queue:{QueueName}"), new CheckAdmission { LimitKeys = keys });

    private static AdmissionDecision Decision(BehaviorContext<WorkflowExecutionState> context) =>
        context.GetOrAddPayload(() => new AdmissionDecision());

    // Carries the decision from the admission activity to the IfElse that follows it in the same step.
    private sealed class AdmissionDecision
    {
        public bool Admitted { get; set; }
    }
}
