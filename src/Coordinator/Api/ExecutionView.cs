using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api.Models;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>Turns a saga row (and its outputs) into the API's view of an execution.</summary>
internal static class ExecutionView
{
    private static readonly JsonSerializerOptions RuntimeJson = new();

    /// <summary>Saga state names are the status names; a row before its first step counts as created.</summary>
    public static ExecutionStatus StatusOf(WorkflowExecutionState saga) =>
        Enum.TryParse<ExecutionStatus>(saga.CurrentState, ignoreCase: false, out var status) ? status : ExecutionStatus.Created;

    public static bool IsTerminal(ExecutionStatus status) =>
        status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled or ExecutionStatus.TimedOut or ExecutionStatus.Rejected;

    public static ExecutionSummary Summary(WorkflowExecutionState saga) => new()
    {
        Id = saga.CorrelationId,
        WorkflowId = saga.WorkflowId,
        WorkflowVersion = saga.WorkflowVersion,
        Status = StatusOf(saga),
        CreatedAt = saga.CreatedAt,
        FinishedAt = saga.FinishedAt,
        RequestedBy = saga.RequestedBy,
    };

    /// <summary>
    /// The execution with the outputs of <paramref name="outputNodes"/> (every node when null, none
    /// when <paramref name="includeOutputs"/> is false) as far as they fit in
    /// <paramref name="outputBudget"/> characters, in definition order. Sizes are read first, so
    /// an output left out is never loaded; its node says so and where to read it.
    /// </summary>
    public static async Task<ExecutionDetails> DetailsAsync(WorkflowExecutionState saga, ExecutionGraphCache graphs, IExecutionOutputStore outputs,
        CancellationToken cancellationToken, bool includeOutputs = true, long outputBudget = long.MaxValue, IReadOnlyCollection<string>? outputNodes = null)
    {
        // Read each field once: the in-memory repository hands out the live row.
        var definitionJson = saga.DefinitionJson;
        var runtimeJson = saga.RuntimeJson;
        var runtime = string.IsNullOrEmpty(runtimeJson) ? new ExecutionRuntime() : JsonSerializer.Deserialize<ExecutionRuntime>(runtimeJson, RuntimeJson)!;
        var definitionNodes = string.IsNullOrEmpty(definitionJson) ? [] : graphs.Get(definitionJson).Definition.Nodes;
        IReadOnlyDictionary<string, JsonElement> stored = new Dictionary<string, JsonElement>();
        var omitted = new HashSet<string>(StringComparer.Ordinal);
        if (includeOutputs)
        {
            var wanted = definitionNodes.Select(n => n.Id).Where(id => outputNodes is null || outputNodes.Contains(id)).ToList();
            var sizes = await outputs.SizesAsync(saga.CorrelationId, wanted, cancellationToken);
            var chosen = new List<string>();
            var left = outputBudget;
            foreach (var id in wanted.Where(sizes.ContainsKey))
            {
                if (sizes[id] <= left)
                {
                    chosen.Add(id);
                    left -= sizes[id];
                }
                else
                    omitted.Add(id);
            }
            if (chosen.Count > 0)
                stored = await outputs.LoadAsync(saga.CorrelationId, chosen, cancellationToken);
        }
        return new ExecutionDetails
        {
            Id = saga.CorrelationId,
            WorkflowId = saga.WorkflowId,
            WorkflowVersion = saga.WorkflowVersion,
            Status = StatusOf(saga),
            CreatedAt = saga.CreatedAt,
            FinishedAt = saga.FinishedAt,
            RequestedBy = saga.RequestedBy,
            Input = Parse(saga.InputJson),
            FailedNodeId = saga.FailedNodeId,
            Error = Parse(saga.ErrorJson),
            Nodes = definitionNodes.Select(n => Node(saga.CorrelationId, n, runtime.Nodes.GetValueOrDefault(n.Id), stored, omitted)).ToList(),
        };
    }

    /// <summary>Where one node's whole output is read on its own.</summary>
    public static string OutputUrl(Guid executionId, string nodeId) => $"/api/executions/{executionId}/nodes/{Uri.EscapeDataString(nodeId)}/output";

    private static NodeDetails Node(Guid executionId, NodeDefinition definition, NodeRuntime? runtime, IReadOnlyDictionary<string, JsonElement> outputs,
        HashSet<string> omitted) => new()
    {
        Id = definition.Id,
        Type = definition.Type,
        Status = runtime?.Status ?? NodeStatus.Pending,
        Ports = runtime?.Ports,
        ReadyAt = runtime?.ReadyAt,
        FinishedAt = runtime?.FinishedAt,
        Error = runtime?.Error,
        Output = outputs.TryGetValue(definition.Id, out var output) ? output : null,
        OutputOmitted = omitted.Contains(definition.Id) ? true : null,
        OutputUrl = omitted.Contains(definition.Id) ? OutputUrl(executionId, definition.Id) : null,
        Instances = runtime?.Instances.Select(i => new NodeInstanceDetails
        {
            ItemIndex = i.Index,
            Status = i.Status,
            Attempt = i.Attempt,
            // Ready and RetryScheduled name the attempt still to come.
            Attempts = i.Status is NodeStatus.Ready or NodeStatus.RetryScheduled ? i.Attempt - 1 : i.Attempt,
            StartedAt = i.StartedAt,
            WorkerId = i.WorkerId,
            LastError = i.LastError,
        }).ToList() ?? [],
        ItemCount = runtime?.ItemCount,
        ItemsStarted = runtime?.ItemCount is null ? null : runtime.NextItem,
        ItemsSucceeded = runtime?.ItemCount is null ? null : runtime.ItemsSucceeded,
    };

    /// <summary>The first event of a stream: the summary and every node that left pending, as transitions to its current state.</summary>
    public static object Snapshot(ExecutionDetails details) => new
    {
        details.Id,
        details.WorkflowId,
        details.WorkflowVersion,
        details.Status,
        details.CreatedAt,
        details.FinishedAt,
        details.RequestedBy,
        Nodes = details.Nodes.Where(n => n.Status != NodeStatus.Pending).Select(n => new
        {
            NodeId = n.Id,
            n.Status,
            Attempt = n.Instances.Count == 0 ? 0 : n.Instances.Max(i => i.Attempt),
            Error = n.Error?.Message,
        }),
    };

    /// <summary>
    /// The stream's last event for an execution that had ended before the stream opened: the same
    /// shape as the one built from the terminal bus event, so a watcher ends the same way either way.
    /// </summary>
    public static object Finished(ExecutionDetails details, IReadOnlyCollection<string> endNodes) => new
    {
        ExecutionId = details.Id,
        details.Status,
        details.FinishedAt,
        Details = details.Status switch
        {
            ExecutionStatus.Succeeded => new
            {
                Outputs = details.Nodes
                    .Where(n => endNodes.Contains(n.Id) && n.Status is NodeStatus.Succeeded or NodeStatus.Failed && n.Output is not null)
                    .ToDictionary(n => n.Id, n => n.Output),
                OmittedOutputs = details.Nodes.Where(n => n.OutputOmitted == true).Select(n => n.Id).ToList() is { Count: > 0 } left ? left : null,
            },
            ExecutionStatus.Failed => (object)new { details.FailedNodeId, details.Error },
            ExecutionStatus.Rejected => new { Problems = details.Error },
            ExecutionStatus.Cancelled => new { Reason = details.Error },
            _ => new { },
        },
    };

    /// <summary>Error columns hold JSON except a cancel reason, which is plain text: that one becomes a JSON string.</summary>
    private static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }
}
