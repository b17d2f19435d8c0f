using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>One limit an execution needs a slot of: its key (a row of its own) and the capacity the execution asks it for.</summary>
public readonly record struct LimitDemand(string Key, int Capacity);

/// <summary>Which limits apply to an execution: a pure function of its definition snapshot and the options, so no database is asked when none do.</summary>
public static class ExecutionLimits
{
    /// <summary>The fleet-wide limit on running executions.</summary>
    public const string GlobalKey = "executions";

    public static string WorkflowKey(string workflowId) => "workflow:" + workflowId;

    public static IReadOnlyList<LimitDemand> For(WorkflowDefinition definition, AdmissionOptions options)
    {
        var global = options.MaxConcurrentExecutions;
        var own = definition.Settings?.MaxConcurrentExecutions;
        if (global is null && own is null)
            return [];
        var demands = new List<LimitDemand>(2);
        if (global is { } g)
            demands.Add(new LimitDemand(GlobalKey, Math.Max(g, 0)));
        if (own is { } w)
            demands.Add(new LimitDemand(WorkflowKey(definition.Id), w));
        // Always claimed in key order, so two claimers never wait on each other in opposite orders.
        demands.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return demands;
    }
}
