using System.Text.Json;
using MassTransit;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.ProgressWatch;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// One saga step of one execution: loads the runtime, feeds planner decisions through, carries
/// them out (dispatch, inline nodes, timers, outputs) and writes everything back in
/// <see cref="CommitAsync"/>. Everything it sends goes through the consume context, so under the
/// outbox nothing leaves before the saga row is saved.
/// </summary>
internal sealed partial class ExecutionSession
{
    private static readonly JsonSerializerOptions RuntimeJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private readonly ConsumeContext _context;
    private readonly ExecutionServices _services;
    private readonly List<NodeTransition> _transitions = [];
    private readonly Dictionary<string, JsonElement> _outputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement[]> _items = new(StringComparer.Ordinal);
    private ExecutionOutcome? _outcome;
    private JsonElement? _executionInput;

    public ExecutionSession(ConsumeContext context, WorkflowExecutionState saga, ExecutionServices services, bool dispatch)
    {
        _context = context;
        _services = services;
        Saga = saga;
        Dispatch = dispatch;
        Now = services.Time.GetUtcNow().UtcDateTime;
        Graph = services.Graphs.Get(saga.DefinitionJson);
        Runtime = string.IsNullOrEmpty(saga.RuntimeJson)
            ? new ExecutionRuntime()
            : JsonSerializer.Deserialize<ExecutionRuntime>(saga.RuntimeJson, RuntimeJson)!;
        Planner = new ExecutionPlanner(Graph, new PlannerContext
        {
            PlacementOf = type => services.Catalog.TryGet(type, out var d) ? d.Placement : NodePlacement.Worker,
            DefaultNodeTimeout = services.Options.DefaultNodeTimeout,
            LeaseGrace = services.Options.LeaseGrace,
        });
    }

    public WorkflowExecutionState Saga { get; }
    public ExecutionGraph Graph { get; }
    public ExecutionRuntime Runtime { get; }
    public ExecutionPlanner Planner { get; }
    public DateTime Now { get; }

    /// <summary>False while paused: results are recorded, nothing new is dispatched.</summary>
    public bool Dispatch { get; }

    private Guid ExecutionId => Saga.CorrelationId;
    private CancellationToken Cancellation => _context.CancellationToken;

    /// <summary>Carries out a planner step and every step it leads to (inline nodes, fan-out expansion).</summary>
    public async Task ApplyAsync(PlanStep first)
    {
        var work = new Queue<PlanStep>([first]);
        while (work.TryDequeue(out var step))
        {
            if (!step.Accepted)
                continue;
            _transitions.AddRange(step.Transitions);
            await SaveErrorOutputsAsync(step);
            await JoinFanOutsAsync(step);
            foreach (var retry in step.Retries)
            {
                ExecutionTelemetry.RetryScheduled(Graph.Node(retry.NodeId).Type);
                await ScheduleSelfAsync(retry.Delay, new NodeRetryDue { ExecutionId = ExecutionId, NodeId = retry.NodeId, Attempt = retry.Attempt, ItemIndex = retry.ItemIndex });
            }
            if (step.Outcome is not null)
            {
                _outcome = step.Outcome;
                return;
            }
            foreach (var nodeId in step.FanOutsToExpand)
                work.Enqueue(await ExpandFanOutAsync(nodeId));
            foreach (var dispatch in step.Dispatches)
                if (await DispatchAsync(dispatch) is { } followUp)
                    work.Enqueue(followUp);
        }
    }

    /// <summary>Records a worker's output once the planner accepted the result.</summary>
    public Task SaveOutputAsync(string nodeId, int? itemIndex, JsonElement output)
    {
        if (itemIndex is null)
            _outputs[nodeId] = output;
        return _services.Outputs.SaveAsync(ExecutionId, nodeId, itemIndex, output, RanBefore(nodeId), Cancellation);
    }

    // An execution retry starts a node's instances on a new attempt budget (FirstAttempt > 1): only
    // such a node can have an output stored by an earlier run.
    private bool RanBefore(string nodeId) => Runtime[nodeId] is var node && (node.Rerun || node.Instances.Any(i => i.FirstAttempt > 1));

    /// <summary>Ends the execution with a status the planner did not decide (cancel, timeout).</summary>
    public void EndAs(ExecutionStatus status) => _outcome = new ExecutionOutcome(status);

    /// <summary>Writes the runtime back, publishes progress and, if the execution ended, its terminal event.</summary>
    public async Task CommitAsync()
    {
        Saga.RuntimeJson = JsonSerializer.Serialize(Runtime, RuntimeJson);
        if (_transitions.Count > 0 && ProgressPolicy.ShouldPublish(_services.Options.Progress, _services.ProgressWatches.MarksWatches, Saga, Now))
            // Progress is for watchers: it is not stored in the outbox (a crash loses it, watchers
            // read state when they connect) and not persisted by the broker. By default only a
            // watched execution publishes it (ProgressWatch/ProgressPublishing).
            await _context.Publish(new ExecutionProgressed { ExecutionId = ExecutionId, Transitions = _transitions, At = Now },
                x => x.Durable = false, Cancellation);

        if (_outcome is null)
        {
            SetLeaseCheck();
            return;
        }
        Saga.FinalStatus = _outcome.Status;
        Saga.FinishedAt = Now;
        Saga.LeaseCheckAt = null;
        Saga.DeadlineAt = null;
        await PublishOutcomeAsync(_outcome);
    }

    private async Task PublishOutcomeAsync(ExecutionOutcome outcome)
    {
        ExecutionTelemetry.Finished(Saga, outcome.Status);
        switch (outcome.Status)
        {
            case ExecutionStatus.Succeeded:
                await _context.Publish(new ExecutionSucceeded { ExecutionId = ExecutionId, FinishedAt = Now, Outputs = await EndOutputsAsync() }, Cancellation);
                return;
            case ExecutionStatus.Failed:
                Saga.FailedNodeId = outcome.FailedNodeId;
                Saga.ErrorJson = JsonSerializer.Serialize(outcome.Error, WorkflowJson.Options);
                await _context.Publish(new ExecutionFailed { ExecutionId = ExecutionId, FinishedAt = Now, FailedNodeId = outcome.FailedNodeId!, Error = outcome.Error! }, Cancellation);
                break;
            case ExecutionStatus.Cancelled:
                await _context.Publish(new ExecutionCancelled { ExecutionId = ExecutionId, FinishedAt = Now, Reason = Saga.ErrorJson }, Cancellation);
                break;
            case ExecutionStatus.TimedOut:
                await _context.Publish(new ExecutionTimedOut { ExecutionId = ExecutionId, FinishedAt = Now }, Cancellation);
                break;
        }
        // Workers may still run attempts of this execution; they are told to stop. Every worker
        // instance hears this broadcast, so an execution that ends with all its attempts reported
        // (one whose last running node failed, say) does not send it.
        if (AttemptsMayStillRun())
            await _context.Publish(new CancelRunningNodes { ExecutionId = ExecutionId, Reason = outcome.Status.ToString() }, Cancellation);
    }

    // An attempt may still run on a worker when an instance is still running, or when this step
    // cancelled one (the planner cancels unfinished instances as it ends an execution). Instances
    // it cancelled that never ran (pending, waiting for a retry) make it send one broadcast too many, never one too few.
    private bool AttemptsMayStillRun() =>
        Runtime.Nodes.Values.Any(n => n.Instances.Any(i => i.Status == NodeStatus.Running))
        || _transitions.Any(t => t.Status == NodeStatus.Cancelled);

    private async Task<JsonElement> EndOutputsAsync()
    {
        var ends = Graph.EndNodes.Where(id => Runtime[id].Status is NodeStatus.Succeeded or NodeStatus.Failed).ToList();
        var outputs = await OutputsAsync(ends);
        return JsonSerializer.SerializeToElement(outputs);
    }

    // No timer: the lease sweep (Leases/LeaseSweeper) finds the row by this column once it is due.
    // It only ever moves earlier: the column is indexed, and in PostgreSQL an update that changes an
    // indexed column is not HOT (every index of the row gets a new entry), so moving it on every step
    // of a chain would cost each step that. A check that comes before any lease ran out finds nothing
    // expired and sets the next one (LeaseCheckAsync clears it first); the end clears it.
    private void SetLeaseCheck()
    {
        if (ExecutionPlanner.NextLeaseDeadline(Runtime) is { } next && (Saga.LeaseCheckAt is not { } stored || next < stored))
            Saga.LeaseCheckAt = next;
    }

    public Task ScheduleSelfAsync<T>(TimeSpan delay, T message) where T : class =>
        _context.ScheduleSend(_context.ReceiveContext.InputAddress, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, message, Cancellation);
}
