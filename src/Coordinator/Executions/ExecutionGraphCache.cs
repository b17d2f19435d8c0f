using System.Collections.Concurrent;
using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Planning;

namespace Workflow.Messaging.Coordinator.Executions;

/// <summary>
/// Compiled graphs by definition snapshot. Every event of an execution needs the graph; parsing
/// and indexing the snapshot each time would dominate a cheap step.
/// </summary>
public sealed class ExecutionGraphCache
{
    private const int Capacity = 1024;
    private readonly ConcurrentDictionary<string, ExecutionGraph> _graphs = new(StringComparer.Ordinal);

    public ExecutionGraph Get(string definitionJson)
    {
        if (_graphs.TryGetValue(definitionJson, out var graph))
            return graph;
        // Definitions are few and long-lived; a full reset on overflow is simpler than LRU and rare.
        if (_graphs.Count >= Capacity)
            _graphs.Clear();
        var definition = JsonSerializer.Deserialize<WorkflowDefinition>(definitionJson, WorkflowJson.Options)
            ?? throw new InvalidOperationException("The definition snapshot is empty.");
        return _graphs.GetOrAdd(definitionJson, new ExecutionGraph(definition));
    }
}
