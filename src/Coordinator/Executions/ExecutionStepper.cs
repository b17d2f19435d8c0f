using System.Text.Json;
using MassTransit;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Attempts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// What the state machine does on each event, one method per event. Each opens an
/// <see cref="ExecutionSession"/>, asks the planner, carries out its step and commits. The state
/// machine then transitions on <see cref="WorkflowExecutionState.FinalStatus"/>.
/// </summary>
public static class ExecutionStepper
{
    /// <summary>Validates and snapshots the definition; a valid one then goes through admission before it runs (<see cref="RunAsync"/>).</summary>
    public static async Task AcceptAsync(BehaviorContext<WorkflowExecutionState, StartWorkflow> context)
    {
        var services = context.GetServiceOrCreateInstance<ExecutionServices>();
        var saga = context.Saga;
        var message = context.Message;
        using var telemetry = ExecutionTelemetry.Begin(context, message.Definition?.Id ?? message.WorkflowId);
        var now = services.Time.GetUtcNow().UtcDateTime;
        saga.CreatedAt = now;
        saga.RequestedBy = message.RequestedBy;
        saga.InputJson = message.Input?.GetRawText();

        var definition = message.Definition ?? (message.WorkflowId is { } id
            ? await services.Definitions.FindAsync(id, message.WorkflowVersion, context.CancellationToken)
            : null);
        var problems = definition is null ? [MissingDefinition(message)] : services.Validator.Validate(definition);
        saga.WorkflowId = definition?.Id ?? message.WorkflowId ?? "";
        saga.WorkflowVersion = definition?.Version ?? message.WorkflowVersion ?? 0;
        if (problems.Count > 0)
        {
            saga.FinalStatus = ExecutionStatus.Rejected;
            saga.FinishedAt = now;
            saga.ErrorJson = JsonSerializer.Serialize(problems, WorkflowJson.Options);
            await context.Publish(new ExecutionRejected { ExecutionId = saga.CorrelationId, FinishedAt = now, Problems = problems });
            ExecutionTelemetry.Finished(saga, ExecutionStatus.Rejected, wasActive: false);
            return;
        }

        saga.DefinitionJson = JsonSerializer.Serialize(definition, WorkflowJson.Options);
    }

    /// <summary>
    /// An admitted execution runs: its first nodes are dispatched. One that ran before (admitted
    /// again for a retry) re-runs its failed nodes instead.
    /// </summary>
    public static async Task RunAsync(BehaviorContext<WorkflowExecutionState> context)
    {
        var saga = context.Saga;
        if (!string.IsNullOrEmpty(saga.RuntimeJson))
        {
            await RetryExecutionAsync(context);
            return;
        }
        var services = context.GetServiceOrCreateInstance<ExecutionServices>();
        using var telemetry = ExecutionTelemetry.Begin(context);
        var now = services.Time.GetUtcNow().UtcDateTime;
        await context.Publish(new ExecutionStarted { ExecutionId = saga.CorrelationId, WorkflowId = saga.WorkflowId, WorkflowVersion = saga.WorkflowVersion, StartedAt = now });
        ExecutionTelemetry.Started(saga);
        var session = new ExecutionSession(context, saga, services, dispatch: true);
        await ScheduleDeadlineAsync(session, session.Graph.Definition.Settings.ExecutionTimeout);
        await session.ApplyAsync(session.Planner.Start(session.Runtime, session.Now));
        await session.CommitAsync();
    }

    public static Task NodeSucceededAsync(BehaviorContext<WorkflowExecutionState, NodeSucceeded> context, bool dispatch) =>
        StepAsync(context, dispatch, async session =>
        {
            var m = context.Message;
            var instance = new InstanceRef(m.NodeId, m.ItemIndex, m.Attempt);
            // Checked again here, not only on the worker: a worker of another version or with a
            // larger limit must not make the coordinator store (and serve) what it would refuse.
            if (context.GetServiceOrCreateInstance<NodeOutputLimit>().Check(m.Output) is { } tooLarge)
                return session.Planner.Failed(session.Runtime, instance, tooLarge, m.WorkerId, session.Now, dispatch);
            var step = session.Planner.Succeeded(session.Runtime, instance, m.Ports, m.WorkerId, session.Now, dispatch);
            if (step.Accepted)
                await session.SaveOutputAsync(m.NodeId, m.ItemIndex, m.Output);
            return step;
        });

    public static Task NodeFailedAsync(BehaviorContext<WorkflowExecutionState, NodeFailed> context, bool dispatch) =>
        StepAsync(context, dispatch, session =>
        {
            var m = context.Message;
            return Task.FromResult(session.Planner.Failed(session.Runtime, new InstanceRef(m.NodeId, m.ItemIndex, m.Attempt), m.Error, m.WorkerId, session.Now, dispatch));
        });

    public static Task HeartbeatAsync(BehaviorContext<WorkflowExecutionState, NodeHeartbeat> context) =>
        StepAsync(context, dispatch: false, session =>
        {
            var m = context.Message;
            var extended = session.Planner.ExtendLease(session.Runtime, new InstanceRef(m.NodeId, m.ItemIndex, m.Attempt), session.Now + m.LeaseExtension);
            return Task.FromResult(new PlanStep { Accepted = extended });
        });

    public static Task RetryDueAsync(BehaviorContext<WorkflowExecutionState, NodeRetryDue> context, bool dispatch) =>
        StepAsync(context, dispatch, session =>
        {
            var m = context.Message;
            return Task.FromResult(session.Planner.RetryDue(session.Runtime, new InstanceRef(m.NodeId, m.ItemIndex, m.Attempt), session.Now, dispatch));
        });

    /// <summary>A wait node's timer ends it successfully; an approval node's timer is its deadline and fails it.</summary>
    public static Task WaitElapsedAsync(BehaviorContext<WorkflowExecutionState, WaitElapsed> context, bool dispatch) =>
        StepAsync(context, dispatch, async session =>
        {
            var m = context.Message;
            var instance = new InstanceRef(m.NodeId, m.ItemIndex, m.Attempt);
            if (!session.Graph.Contains(m.NodeId))
                return new PlanStep { Accepted = false };
            var placement = session.PlacementOf(m.NodeId);
            if (placement == NodePlacement.Approval)
                return session.Planner.Failed(session.Runtime, instance,
                    new NodeError { Kind = NodeErrorKind.Fatal, Message = "No decision arrived before the approval's timeout.", Code = "approval.timeout" },
                    ExecutionSession.InlineWorkerId, session.Now, dispatch);
            var step = session.Planner.Succeeded(session.Runtime, instance, [OutputPorts.Main], ExecutionSession.InlineWorkerId, session.Now, dispatch);
            if (step.Accepted)
                await session.SaveOutputAsync(m.NodeId, m.ItemIndex, await session.InputOfAsync(instance));
            return step;
        });

    public static Task DecisionAsync(BehaviorContext<WorkflowExecutionState, SubmitDecision> context, bool dispatch) =>
        StepAsync(context, dispatch, async session =>
        {
            var m = context.Message;
            if (!session.Graph.Contains(m.NodeId) || session.PlacementOf(m.NodeId) != NodePlacement.Approval)
                return new PlanStep { Accepted = false };
            var waiting = session.Runtime[m.NodeId].Instances.FirstOrDefault(i => i.Status == NodeStatus.Waiting);
            if (waiting is null)
                return new PlanStep { Accepted = false };
            var instance = new InstanceRef(m.NodeId, waiting.Index, waiting.Attempt);
            var step = session.Planner.Succeeded(session.Runtime, instance, [m.Approved ? "approved" : "rejected"], m.DecidedBy, session.Now, dispatch);
            if (step.Accepted)
                await session.SaveOutputAsync(m.NodeId, waiting.Index, JsonSerializer.SerializeToElement(
                    new { approved = m.Approved, decidedBy = m.DecidedBy, comment = m.Comment, decidedAt = session.Now }));
            return step;
        });

    /// <summary>
    /// Sent by the lease sweep of any coordinator (or, from before the sweep, a scheduled timer).
    /// Only the check for the time still stored is acted on; acting moves that time to the next
    /// lease (or clears it), so a second copy from another coordinator's sweep is ignored here.
    /// </summary>
    public static Task LeaseCheckAsync(BehaviorContext<WorkflowExecutionState, NodeLeaseCheckDue> context, bool dispatch) =>
        StepAsync(context, dispatch, async session =>
        {
            if (!StoredTime.Same(session.Saga.LeaseCheckAt, context.Message.CheckAt))
                return new PlanStep { Accepted = false };
            session.Saga.LeaseCheckAt = null;
            await RenewLeasesOfLiveAttemptsAsync(context, session);
            var step = session.Planner.ExpireLeases(session.Runtime, session.Now, dispatch);
            step.Accepted = true; // saved even if nothing expired: the check time moves on to the next lease
            return step;
        });

    // Heartbeats go to the attempt tracker, not the saga: before an expired lease fails an
    // attempt, the tracker is asked whether the attempt is still heard from (a long node that
    // started late behind a queue backlog). Read only at lease checks, which are rare.
    private static async Task RenewLeasesOfLiveAttemptsAsync(BehaviorContext<WorkflowExecutionState> context, ExecutionSession session)
    {
        var services = context.GetServiceOrCreateInstance<ExecutionServices>();
        var expired = ExecutionPlanner.ExpiredLeases(session.Runtime, session.Now);
        var silentAfter = services.Options.SilentAttemptAfter;
        if (expired.Count == 0 || silentAfter <= TimeSpan.Zero)
            return;
        var alive = (await services.Attempts.HeardFromSinceAsync(session.Saga.CorrelationId, session.Now - silentAfter, context.CancellationToken))
            .Select(a => new InstanceRef(a.NodeId, a.ItemIndex, a.Attempt))
            .ToHashSet();
        foreach (var instance in expired.Where(alive.Contains))
            session.Planner.RenewLease(session.Runtime, instance, session.Now);
    }

    /// <summary>
    /// The watchdog found a started attempt silent: the planner dispatches the same attempt again
    /// if it is still the running one. Also while paused: the attempt was dispatched before the
    /// pause, and sending it again starts nothing new.
    /// </summary>
    public static Task AttemptSilentAsync(BehaviorContext<WorkflowExecutionState, NodeAttemptSilent> context) =>
        StepAsync(context, dispatch: false, session =>
        {
            var m = context.Message;
            var step = session.Planner.RedispatchSilent(session.Runtime, new InstanceRef(m.NodeId, m.ItemIndex, m.Attempt), session.Now);
            if (step.Accepted)
                context.GetServiceOrCreateInstance<ILoggerFactory>().CreateLogger(typeof(ExecutionStepper)).LogWarning("Attempt {Attempt} of {NodeId} (item {ItemIndex}) went silent on worker {WorkerId} after {LastSeenAt:O}; dispatching it again",
                    m.Attempt, m.NodeId, m.ItemIndex, m.WorkerId, m.LastSeenAt);
            return Task.FromResult(step);
        });

    /// <summary>
    /// A worker reported the attempt: the tracker stops watching it (a tombstone in the step's transaction). An
    /// attempt the worker never announced has no row and can get no late NodeStarted, so it costs no statement.
    /// </summary>
    public static Task EndAttemptAsync(ConsumeContext context, Guid executionId, string nodeId, int? itemIndex, int attempt, bool? startAnnounced)
    {
        if (startAnnounced == false)
            return Task.CompletedTask;
        var services = context.GetServiceOrCreateInstance<ExecutionServices>();
        return services.Attempts.EndAsync(new AttemptKey(executionId, nodeId, itemIndex, attempt), services.Time.GetUtcNow().UtcDateTime, context.CancellationToken);
    }

    /// <summary>The saga acted on a silent-attempt notice (or found it stale): the row goes; a new delivery that starts makes a new one.</summary>
    public static Task ForgetAttemptAsync(BehaviorContext<WorkflowExecutionState, NodeAttemptSilent> context) =>
        context.GetServiceOrCreateInstance<ExecutionServices>().Attempts.ForgetAsync(
            new AttemptKey(context.Message.ExecutionId, context.Message.NodeId, context.Message.ItemIndex, context.Message.Attempt), context.CancellationToken);

    public static Task ResumeAsync(BehaviorContext<WorkflowExecutionState, ResumeExecution> context) =>
        StepAsync(context, dispatch: true, session => Task.FromResult(session.Planner.Resume(session.Runtime, session.Now)));

    /// <summary>Cancel and timeout: every unfinished node ends, workers are told to stop.</summary>
    public static Task EndAsync(BehaviorContext<WorkflowExecutionState> context, ExecutionStatus status, string? reason) =>
        StepAsync(context, dispatch: false, session =>
        {
            session.Saga.ErrorJson = reason;
            session.EndAs(status);
            return Task.FromResult(session.Planner.Cancel(session.Runtime, session.Now));
        });

    public static async Task RetryExecutionAsync(BehaviorContext<WorkflowExecutionState> context)
    {
        var services = context.GetServiceOrCreateInstance<ExecutionServices>();
        var saga = context.Saga;
        using var telemetry = ExecutionTelemetry.Begin(context);
        ExecutionTelemetry.Started(saga);
        saga.FinalStatus = null;
        saga.FinishedAt = null;
        saga.FailedNodeId = null;
        saga.ErrorJson = null;
        var session = new ExecutionSession(context, saga, services, dispatch: true);
        await ScheduleDeadlineAsync(session, session.Graph.Definition.Settings.ExecutionTimeout);
        await session.ApplyAsync(session.Planner.RetryExecution(session.Runtime, session.Now));
        await session.CommitAsync();
    }

    private static async Task StepAsync(BehaviorContext<WorkflowExecutionState> context, bool dispatch, Func<ExecutionSession, Task<PlanStep>> decide)
    {
        using var telemetry = ExecutionTelemetry.Begin(context);
        var session = new ExecutionSession(context, context.Saga, context.GetServiceOrCreateInstance<ExecutionServices>(), dispatch);
        var step = await decide(session);
        if (!step.Accepted)
            return;
        await session.ApplyAsync(step);
        await session.CommitAsync();
    }

    private static async Task ScheduleDeadlineAsync(ExecutionSession session, TimeSpan? timeout)
    {
        if (timeout is not { } value)
            return;
        session.Saga.DeadlineAt = session.Now + value;
        await session.ScheduleSelfAsync(value, new ExecutionDeadlineReached { ExecutionId = session.Saga.CorrelationId, DeadlineAt = session.Saga.DeadlineAt.Value });
    }

    private static DefinitionProblem MissingDefinition(StartWorkflow message) => new()
    {
        Path = message.WorkflowId is null ? "$.definition" : "$.workflowId",
        Code = "definition-not-found",
        Message = message.WorkflowId is null
            ? "StartWorkflow carries neither a definition nor a workflowId."
            : $"No stored definition '{message.WorkflowId}'{(message.WorkflowVersion is { } v ? $" version {v}" : "")}.",
    };
}
