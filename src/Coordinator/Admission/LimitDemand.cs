using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>
/// One limit a holder needs a slot of: its key (a row of its own) and the capacity the holder asks
/// it for. With a <see cref="Period"/> it is a rate (at most Capacity starts in any such period):
/// a slot is then taken for one period, not held until a release.
/// </summary>
public readonly record struct LimitDemand(string Key, int Capacity, TimeSpan? Period = null)
{
    public bool IsRate => Period is not null;
}

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
