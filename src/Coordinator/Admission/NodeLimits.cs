using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Admission;

/// <summary>Which limits a node's attempts need: a pure function of the node and the options, so an unlimited node costs nothing.</summary>
public static class NodeLimits
{
    public static string ResourceKey(string resource) => "resource:" + resource;

    public static string NodeTypeKey(string nodeType) => "node-type:" + nodeType;

    public static string RateKey(string resource) => "rate:" + resource;

    public static IReadOnlyList<LimitDemand> For(NodeDefinition node, AdmissionOptions options)
    {
        if (options.Resources.Count == 0 && options.NodeTypes.Count == 0)
            return [];
        List<LimitDemand>? demands = null;
        if (node.Resource is { } resource && options.Resources.TryGetValue(resource, out var byResource))
        {
            if (byResource.MaxConcurrent is { } resourceLimit)
                (demands ??= []).Add(new LimitDemand(ResourceKey(resource), Math.Max(resourceLimit, 0)));
            if (byResource.MaxStarts is { } starts && byResource.RatePeriod > TimeSpan.Zero)
                (demands ??= []).Add(new LimitDemand(RateKey(resource), Math.Max(starts, 0), byResource.RatePeriod));
        }
        if (options.NodeTypes.TryGetValue(node.Type, out var byType) && byType.MaxConcurrent is { } typeLimit)
            (demands ??= []).Add(new LimitDemand(NodeTypeKey(node.Type), Math.Max(typeLimit, 0)));
        if (demands is null)
            return [];
        demands.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return demands;
    }

    /// <summary>True when some node of the definition needs a limit: only then does the end of an execution look for attempt slots.</summary>
    public static bool AnyIn(WorkflowDefinition definition, AdmissionOptions options) =>
        (options.Resources.Count > 0 || options.NodeTypes.Count > 0) && definition.Nodes.Any(n => For(n, options).Count > 0);

    /// <summary>An attempt's holder name within its execution: unique per (node, attempt, item), readable back from the attempt tracker's row.</summary>
    public static AdmissionHolder Holder(Guid executionId, string nodeId, int attempt, int? itemIndex) =>
        new(executionId, $"{nodeId}:{attempt}:{itemIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
}
