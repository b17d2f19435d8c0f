using System.Diagnostics.CodeAnalysis;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Planning;

// State changes that record their transitions, so the progress stream can never miss one.
public sealed partial class ExecutionPlanner
{
    // A null instance is a node that failed before it had any (its fan-out items could not be read).
    private void FailForGood(ExecutionRuntime runtime, PlanStep step, string id, NodeRuntime node, InstanceRuntime? instance, NodeError error, DateTime now)
    {
        if (instance is not null)
        {
            instance.LastError = error;
            instance.LeaseUntil = null;
            SetInstance(step, id, node, instance, NodeStatus.Failed, error.Message);
        }
        var strategy = graph.Node(id).OnError;
        if (strategy == ErrorStrategy.StopWorkflow)
        {
            node.Error = error;
            Finish(step, id, node, NodeStatus.Failed, [], now, error.Message);
            CancelUnfinished(runtime, step, now);
            step.Outcome = new ExecutionOutcome(ExecutionStatus.Failed, id, error);
            return;
        }

        step.ErrorOutputs.Add(new InstanceRef(id, instance?.Index, instance?.Attempt ?? 0));
        if (instance?.Index is null)
        {
            node.Error = error;
            Finish(step, id, node, NodeStatus.Failed, [PortFor(strategy)], now, error.Message);
        }
        else
        {
            TryFinishFanOut(step, id, node, now);
        }
    }

    // Under a continue strategy a fan-out waits for all items; failed items carry their error as output.
    private void TryFinishFanOut(PlanStep step, string id, NodeRuntime node, DateTime now)
    {
        if (node.ItemsNotStarted > 0 || !node.Instances.All(i => i.Status.IsTerminal()))
            return;
        var firstFailure = node.Instances.FirstOrDefault(i => i.Status == NodeStatus.Failed);
        if (firstFailure is null)
        {
            Finish(step, id, node, NodeStatus.Succeeded, [OutputPorts.Main], now);
        }
        else
        {
            node.Error = firstFailure.LastError;
            Finish(step, id, node, NodeStatus.Failed, [PortFor(graph.Node(id).OnError)], now, node.Error?.Message);
        }
        step.CompletedFanOuts.Add(id);
    }

    private static string PortFor(ErrorStrategy strategy) =>
        strategy == ErrorStrategy.ContinueErrorOutput ? OutputPorts.Error : OutputPorts.Main;

    private static void CancelUnfinished(ExecutionRuntime runtime, PlanStep step, DateTime now)
    {
        foreach (var (id, node) in runtime.Nodes)
        {
            if (node.IsTerminal)
                continue;
            foreach (var instance in node.Instances.Where(i => !i.Status.IsTerminal()))
            {
                instance.LeaseUntil = null;
                SetInstance(step, id, node, instance, NodeStatus.Cancelled);
            }
            Finish(step, id, node, NodeStatus.Cancelled, [], now);
        }
    }

    private static void Finish(PlanStep step, string id, NodeRuntime node, NodeStatus status, List<string> ports, DateTime now, string? error = null)
    {
        node.Ports = ports;
        node.FinishedAt = now;
        SetNode(step, id, node, status, error);
    }

    private static void SetNode(PlanStep step, string id, NodeRuntime node, NodeStatus status, string? error = null)
    {
        if (node.Status == status)
            return;
        node.Status = status;
        var attempt = node.Instances is [{ Index: null } single] ? single.Attempt : 0;
        step.Transitions.Add(new NodeTransition { NodeId = id, Status = status, Attempt = attempt, Error = error });
    }

    // A node that is not fanned out mirrors its single instance; a fan-out node shows Running
    // while any item is under way and records each item's transitions with its index.
    private static void SetInstance(PlanStep step, string id, NodeRuntime node, InstanceRuntime instance, NodeStatus status, string? error = null)
    {
        instance.Status = status;
        if (instance.Index is null)
        {
            // Terminal states are recorded once, by the node-level Finish that follows.
            if (!status.IsTerminal())
                SetNode(step, id, node, status, error);
            return;
        }
        step.Transitions.Add(new NodeTransition { NodeId = id, ItemIndex = instance.Index, Status = status, Attempt = instance.Attempt, Error = error });
        if (status is NodeStatus.Running or NodeStatus.Waiting or NodeStatus.RetryScheduled)
            SetNode(step, id, node, NodeStatus.Running);
    }

    private static bool TryFind(ExecutionRuntime runtime, InstanceRef reference, [NotNullWhen(true)] out NodeRuntime? node, [NotNullWhen(true)] out InstanceRuntime? instance)
    {
        instance = null;
        if (!runtime.Nodes.TryGetValue(reference.NodeId, out node))
            return false;
        instance = node.Instances.FirstOrDefault(i => i.Index == reference.ItemIndex);
        return instance is not null;
    }

    // A result counts only for the attempt the coordinator is waiting on; anything else is a
    // duplicate delivery or a late answer from an attempt given up on.
    private static bool TryFindLive(ExecutionRuntime runtime, InstanceRef reference, [NotNullWhen(true)] out NodeRuntime? node, [NotNullWhen(true)] out InstanceRuntime? instance) =>
        TryFind(runtime, reference, out node, out instance)
        && !node.IsTerminal
        && instance.Status is NodeStatus.Running or NodeStatus.Waiting
        && instance.Attempt == reference.Attempt;

    private static PlanStep Stale(PlanStep step)
    {
        step.Accepted = false;
        return step;
    }

    private static void Merge(PlanStep into, PlanStep from)
    {
        into.Transitions.AddRange(from.Transitions);
        into.Dispatches.AddRange(from.Dispatches);
        into.Retries.AddRange(from.Retries);
        into.ErrorOutputs.AddRange(from.ErrorOutputs);
        into.CompletedFanOuts.AddRange(from.CompletedFanOuts);
        into.FanOutsToExpand.AddRange(from.FanOutsToExpand);
        into.Outcome ??= from.Outcome;
    }
}
