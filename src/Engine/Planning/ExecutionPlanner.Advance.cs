using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Planning;

// Join evaluation, dispatch and completion: the part every event ends in.
public sealed partial class ExecutionPlanner
{
    private enum JoinDecision { Wait, Run, Skip }

    private void Advance(ExecutionRuntime runtime, DateTime now, bool dispatch, PlanStep step)
    {
        // One pass in topological order is enough: every upstream node is decided before its
        // downstream nodes look at it, so skips and activations propagate within the pass.
        foreach (var id in graph.Order)
        {
            var node = runtime[id];
            if (node.Status != NodeStatus.Pending)
                continue;
            switch (EvaluateJoin(runtime, id))
            {
                case JoinDecision.Run:
                    Activate(step, id, node, now);
                    break;
                case JoinDecision.Skip:
                    Finish(step, id, node, NodeStatus.Skipped, [], now);
                    break;
            }
            if (step.Outcome is not null)
                return;
        }

        if (dispatch)
            Dispatch(runtime, step, now);
        DetectCompletion(runtime, step);
    }

    // An edge delivers when its source ended having taken the edge's port; it is dead when the
    // source ended without taking it (or was skipped or cancelled); otherwise it is still open.
    private JoinDecision EvaluateJoin(ExecutionRuntime runtime, string id)
    {
        var incoming = graph.Incoming(id);
        if (incoming.Count == 0)
            return JoinDecision.Run;

        int delivered = 0, open = 0;
        foreach (var edge in incoming)
        {
            var source = runtime[edge.From];
            if (!source.IsTerminal)
                open++;
            else if (source.Ports?.Contains(edge.Output, StringComparer.Ordinal) == true)
                delivered++;
        }

        var join = graph.Node(id).Join ?? new JoinPolicy();
        var needed = join.Mode switch
        {
            JoinMode.Any => 1,
            JoinMode.NOfM => Math.Clamp(join.Count ?? incoming.Count, 1, incoming.Count),
            _ => incoming.Count,
        };
        if (join.Mode == JoinMode.All)
            return open > 0 ? JoinDecision.Wait : delivered > 0 ? JoinDecision.Run : JoinDecision.Skip;
        if (delivered >= needed)
            return JoinDecision.Run;
        return delivered + open < needed ? JoinDecision.Skip : JoinDecision.Wait;
    }

    // A fan-out node needs its items, which need its input, which the host loads asynchronously:
    // it stays Ready without instances until the host calls ExpandFanOut.
    private void Activate(PlanStep step, string id, NodeRuntime node, DateTime now)
    {
        node.ReadyAt = now;
        if (graph.Node(id).FanOut is null)
            node.Instances = [new InstanceRuntime()];
        else
            step.FanOutsToExpand.Add(id);
        SetNode(step, id, node, NodeStatus.Ready);
    }

    private void Dispatch(ExecutionRuntime runtime, PlanStep step, DateTime now)
    {
        var budget = graph.Definition.Settings.MaxParallelNodes - runtime.Nodes.Values
            .SelectMany(n => n.Instances)
            .Count(i => i.Status == NodeStatus.Running);

        foreach (var id in graph.Order)
        {
            var node = runtime[id];
            if (node.IsTerminal || node.Status == NodeStatus.Pending)
                continue;
            var definition = graph.Node(id);
            var placement = context.PlacementOf(definition.Type);
            var held = placement is NodePlacement.Timer or NodePlacement.Approval;
            foreach (var instance in node.Instances.Where(i => i.Status == NodeStatus.Ready))
            {
                if (!held && budget <= 0)
                    break;
                BeginInstance(step, id, node, instance, held, now, ref budget);
            }
            // Fan-out items not begun yet take the slots left, in item order.
            while (node.ItemsNotStarted > 0 && (held || budget > 0))
            {
                var instance = new InstanceRuntime { Index = node.NextItem++ };
                node.Instances.Add(instance);
                BeginInstance(step, id, node, instance, held, now, ref budget);
            }
        }
    }

    // A held instance (wait, approval) takes no slot: a durable timer brings it back.
    private void BeginInstance(PlanStep step, string id, NodeRuntime node, InstanceRuntime instance, bool held, DateTime now, ref int budget)
    {
        instance.StartedAt = now;
        if (held)
        {
            SetInstance(step, id, node, instance, NodeStatus.Waiting);
        }
        else
        {
            budget--;
            instance.LeaseUntil = LeaseFrom(id, now);
            SetInstance(step, id, node, instance, NodeStatus.Running);
        }
        step.Dispatches.Add(new InstanceRef(id, instance.Index, instance.Attempt));
    }

    private static void DetectCompletion(ExecutionRuntime runtime, PlanStep step)
    {
        if (step.Outcome is not null)
            return;
        if (runtime.Nodes.Values.All(n => n.IsTerminal))
        {
            step.Outcome = ExecutionOutcome.Succeeded;
            return;
        }
        // In a DAG the first unfinished node in topological order always has finished sources,
        // so Advance resolves it; reaching here with nothing active would be a planner bug.
        if (!runtime.Nodes.Values.Any(n => n.Status.IsActive() || n.Instances.Any(i => i.Status.IsActive())))
            throw new InvalidOperationException("The planner found pending nodes with nothing active upstream.");
    }
}
