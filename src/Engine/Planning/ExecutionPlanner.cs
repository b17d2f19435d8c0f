using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Planning;

/// <summary>
/// Decides node transitions and what to dispatch from node states and one event. The only place
/// that knows what runs next: the saga records events, calls the planner and carries out its
/// <see cref="PlanStep"/>; completion is read from state, never waited for.
/// Every public method mutates the runtime it is given and returns what changed.
/// </summary>
public sealed partial class ExecutionPlanner(ExecutionGraph graph, PlannerContext context)
{
    public ExecutionGraph Graph => graph;

    /// <summary>Creates every node Pending, activates start nodes and dispatches them.</summary>
    public PlanStep Start(ExecutionRuntime runtime, DateTime now, bool dispatch = true)
    {
        runtime.Nodes.Clear();
        foreach (var id in graph.Order)
            runtime.Nodes[id] = new NodeRuntime();
        var step = new PlanStep();
        Advance(runtime, now, dispatch, step);
        return step;
    }

    /// <summary>Re-evaluates joins and dispatches what is ready: used on resume.</summary>
    public PlanStep Resume(ExecutionRuntime runtime, DateTime now)
    {
        var step = new PlanStep();
        Advance(runtime, now, dispatch: true, step);
        return step;
    }

    public PlanStep Succeeded(ExecutionRuntime runtime, InstanceRef result, IReadOnlyList<string> ports, string? workerId, DateTime now, bool dispatch = true)
    {
        var step = new PlanStep();
        if (!TryFindLive(runtime, result, out var node, out var instance))
            return Stale(step);

        instance.WorkerId = workerId ?? instance.WorkerId;
        SetInstance(step, result.NodeId, node, instance, NodeStatus.Succeeded);
        if (instance.Index is null)
            Finish(step, result.NodeId, node, NodeStatus.Succeeded, ports.Count > 0 ? [.. ports] : [OutputPorts.Main], now);
        else
        {
            // A succeeded item is only a count from here on: its output is stored, and a late or
            // repeated delivery for it finds no live instance, so it is stale as before.
            node.Instances.Remove(instance);
            node.ItemsSucceeded++;
            TryFinishFanOut(step, result.NodeId, node, now);
        }

        Advance(runtime, now, dispatch, step);
        return step;
    }

    public PlanStep Failed(ExecutionRuntime runtime, InstanceRef result, NodeError error, string? workerId, DateTime now, bool dispatch = true)
    {
        var step = new PlanStep();
        if (!TryFindLive(runtime, result, out var node, out var instance))
            return Stale(step);

        instance.WorkerId = workerId ?? instance.WorkerId;
        instance.LastError = error;
        var definition = graph.Node(result.NodeId);
        var attemptsUsed = instance.Attempt - instance.FirstAttempt + 1;
        if (error.Kind == NodeErrorKind.Retryable && definition.Retry is { } policy && attemptsUsed < policy.MaxAttempts)
        {
            instance.Attempt++;
            instance.LeaseUntil = null;
            SetInstance(step, result.NodeId, node, instance, NodeStatus.RetryScheduled, error.Message);
            step.Retries.Add(new ScheduledRetry(result.NodeId, instance.Index, instance.Attempt,
                RetryDelay.For(policy, attemptsUsed, context.Random())));
        }
        else
        {
            FailForGood(runtime, step, result.NodeId, node, instance, error, now);
        }

        if (step.Outcome is null)
            Advance(runtime, now, dispatch, step);
        return step;
    }

    /// <summary>The backoff of an instance is over: it becomes Ready and is dispatched if allowed.</summary>
    public PlanStep RetryDue(ExecutionRuntime runtime, InstanceRef due, DateTime now, bool dispatch = true)
    {
        var step = new PlanStep();
        if (!TryFind(runtime, due, out var node, out var instance) || node.IsTerminal
            || instance.Status != NodeStatus.RetryScheduled || instance.Attempt != due.Attempt)
            return Stale(step);

        SetInstance(step, due.NodeId, node, instance, NodeStatus.Ready);
        Advance(runtime, now, dispatch, step);
        return step;
    }

    /// <summary>
    /// Gives a fan-out node that became ready its items (or the error that reading them raised):
    /// one instance per item, or success at once when there are none.
    /// </summary>
    public PlanStep ExpandFanOut(ExecutionRuntime runtime, string nodeId, int itemCount, NodeError? error, DateTime now, bool dispatch = true)
    {
        var step = new PlanStep();
        var node = runtime[nodeId];
        if (node.Status != NodeStatus.Ready || node.ItemCount is not null || node.Instances.Count > 0)
            return Stale(step);

        if (error is not null)
            FailForGood(runtime, step, nodeId, node, instance: null, error, now);
        else
        {
            // Items get their instances as dispatch slots free up (Dispatch), not all at once.
            node.ItemCount = itemCount;
            if (itemCount == 0)
            {
                Finish(step, nodeId, node, NodeStatus.Succeeded, [OutputPorts.Main], now);
                step.CompletedFanOuts.Add(nodeId);
            }
        }

        if (step.Outcome is null)
            Advance(runtime, now, dispatch, step);
        return step;
    }

    /// <summary>Ends every node that has not ended: for cancel, timeout and a failing execution.</summary>
    public PlanStep Cancel(ExecutionRuntime runtime, DateTime now)
    {
        var step = new PlanStep();
        CancelUnfinished(runtime, step, now);
        return step;
    }

    /// <summary>
    /// Re-runs a failed, cancelled or timed-out execution from where it stopped: failed (under
    /// stopWorkflow) and cancelled nodes start again with a fresh retry budget; succeeded nodes
    /// and their outputs stay.
    /// </summary>
    public PlanStep RetryExecution(ExecutionRuntime runtime, DateTime now)
    {
        var step = new PlanStep();
        foreach (var id in graph.Order)
        {
            var node = runtime[id];
            var resettable = node.Status == NodeStatus.Cancelled
                || (node.Status == NodeStatus.Failed && graph.Node(id).OnError == ErrorStrategy.StopWorkflow);
            if (!resettable)
                continue;

            node.Error = null;
            node.Ports = null;
            node.FinishedAt = null;
            node.Rerun = true;
            if (node.Instances.Count == 0 && node.ItemCount is null)
            {
                SetNode(step, id, node, NodeStatus.Pending);
                continue;
            }
            foreach (var instance in node.Instances.Where(i => i.Status != NodeStatus.Succeeded))
            {
                instance.Attempt++;
                instance.FirstAttempt = instance.Attempt;
                instance.LeaseUntil = null;
                SetInstance(step, id, node, instance, NodeStatus.Ready);
            }
            SetNode(step, id, node, NodeStatus.Ready);
        }
        Advance(runtime, now, dispatch: true, step);
        return step;
    }
}
