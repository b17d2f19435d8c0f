using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Validation;

internal static class ConnectionRules
{
    public static void Check(DefinitionGraph graph, INodeTypeCatalog catalog, ProblemCollector problems)
    {
        for (var c = 0; c < graph.Connections.Count; c++)
        {
            if (graph.Connections[c] is not { } connection)
            {
                problems.Add(DefinitionPath.Connection(c), DefinitionProblemCodes.MissingConnection, "The connection is null.");
                continue;
            }
            var from = Resolve(graph, c, "from", connection.From, problems);
            var to = Resolve(graph, c, "to", connection.To, problems);
            if (graph.RepeatedConnections.Contains(c))
                problems.Add(DefinitionPath.Connection(c), DefinitionProblemCodes.DuplicateConnection,
                    $"The connection {Describe(connection)} is listed more than once.");
            else if (from is not null && from == to)
                problems.Add(DefinitionPath.Connection(c), DefinitionProblemCodes.SelfLoop,
                    $"Node '{Echo.Of(connection.From)}' is connected to itself.");
            if (from is { } source && graph.Nodes[source] is { } node)
                CheckPort(c, connection, node, catalog, problems);
        }
    }

    private static int? Resolve(DefinitionGraph graph, int connection, string end, string? nodeId, ProblemCollector problems)
    {
        if (string.IsNullOrEmpty(nodeId))
        {
            problems.Add(DefinitionPath.Connection(connection, end), DefinitionProblemCodes.DanglingConnection, $"The connection has no '{end}' node.");
            return null;
        }
        if (graph.IndexById.TryGetValue(nodeId, out var index))
            return index;
        problems.Add(DefinitionPath.Connection(connection, end), DefinitionProblemCodes.DanglingConnection, $"The connection's '{end}' node '{Echo.Of(nodeId)}' does not exist.");
        return null;
    }

    private static void CheckPort(int c, ConnectionDefinition connection, NodeDefinition source, INodeTypeCatalog catalog, ProblemCollector problems)
    {
        var path = DefinitionPath.Connection(c, "output");
        if (connection.Output == OutputPorts.Error)
        {
            if (source.OnError != ErrorStrategy.ContinueErrorOutput)
                problems.Add(path, DefinitionProblemCodes.ErrorPortNotEnabled,
                    $"Node '{Echo.Of(source.Id)}' only emits on its 'error' port with onError \"continueErrorOutput\".");
            return;
        }
        if (source.Type is null || !catalog.TryGet(source.Type, out var descriptor))
            return;
        var ports = PortsOf(descriptor, source);
        if (ports is not null && !ports.Contains(connection.Output ?? "", StringComparer.Ordinal))
            problems.Add(path, DefinitionProblemCodes.UnknownOutputPort,
                $"Node '{Echo.Of(source.Id)}' of type '{source.Type}' has no output port '{Echo.Of(connection.Output)}'; its ports: {string.Join(", ", ports.Append(OutputPorts.Error))}.");
    }

    /// <summary>Null when the ports cannot be known: the parameter problems are reported on their own.</summary>
    private static IReadOnlyList<string>? PortsOf(NodeTypeDescriptor descriptor, NodeDefinition node)
    {
        if (descriptor.Ports is not null)
            return descriptor.Ports;
        try
        {
            return descriptor.PortsFromParameters?.Invoke(node.Parameters ?? new Dictionary<string, System.Text.Json.JsonElement>());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static string Describe(ConnectionDefinition connection) =>
        $"{Echo.Of(connection.From)}.{Echo.Of(connection.Output)} -> {Echo.Of(connection.To)}";
}
