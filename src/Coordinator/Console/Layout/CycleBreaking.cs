namespace Workflow.Messaging.Coordinator.Console.Layout;

/// <summary>
/// Finds the edges that close a cycle (back edges of a depth-first search in definition order), so
/// reversing them leaves a DAG to layer. Valid definitions have none; invalid ones are drawn too.
/// </summary>
internal static class CycleBreaking
{
    public static bool[] BackEdges(int count, IReadOnlyList<(int From, int To)> edges)
    {
        var outgoing = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < edges.Count; i++)
            outgoing[edges[i].From].Add(i);
        var back = new bool[edges.Count];
        var state = new byte[count]; // 0 unseen, 1 on the current path, 2 done
        var stack = new Stack<(int Vertex, int Next)>();
        for (var root = 0; root < count; root++)
        {
            if (state[root] != 0)
                continue;
            // Iterative, so a long chain of a thousand nodes cannot overflow the stack.
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (vertex, next) = stack.Pop();
                if (next == outgoing[vertex].Count)
                {
                    state[vertex] = 2;
                    continue;
                }
                stack.Push((vertex, next + 1));
                var edge = outgoing[vertex][next];
                var target = edges[edge].To;
                if (state[target] == 1)
                    back[edge] = true;
                else if (state[target] == 0)
                {
                    state[target] = 1;
                    stack.Push((target, 0));
                }
            }
        }
        return back;
    }
}
