namespace Workflow.Messaging.Engine.Validation;

/// <summary>
/// Tarjan's algorithm without recursion: a chain of a thousand nodes must not exhaust the
/// stack of whoever validates it.
/// </summary>
internal static class StronglyConnectedComponents
{
    public static List<List<int>> Find(DefinitionGraph graph)
    {
        var count = graph.Nodes.Count;
        var order = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(order, -1);
        var stack = new Stack<int>();
        var components = new List<List<int>>();
        var next = 0;

        for (var root = 0; root < count; root++)
        {
            if (order[root] != -1)
                continue;
            var work = new Stack<(int Node, int NextEdge)>();
            Visit(root);
            while (work.Count > 0)
            {
                var (node, nextEdge) = work.Pop();
                var edges = graph.Outgoing[node];
                if (nextEdge < edges.Count)
                {
                    work.Push((node, nextEdge + 1));
                    var target = edges[nextEdge].To;
                    if (order[target] == -1)
                        Visit(target);
                    else if (onStack[target])
                        low[node] = Math.Min(low[node], order[target]);
                    continue;
                }
                if (low[node] == order[node])
                    components.Add(PopComponent(node));
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
            }

            void Visit(int node)
            {
                order[node] = low[node] = next++;
                stack.Push(node);
                onStack[node] = true;
                work.Push((node, 0));
            }
        }
        return components;

        List<int> PopComponent(int head)
        {
            var component = new List<int>();
            int member;
            do
            {
                member = stack.Pop();
                onStack[member] = false;
                component.Add(member);
            } while (member != head);
            return component;
        }
    }
}
