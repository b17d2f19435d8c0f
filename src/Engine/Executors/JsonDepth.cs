using System.Text.Json;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>
/// How deeply data carried in messages (inputs, parameters, outputs) may nest. Messages are read
/// with System.Text.Json's default depth of 64, and every message wraps its data in an envelope
/// (<c>{"message": {"input": ...}}</c>) and a join wraps outputs again: data is held to
/// <see cref="MaxDataDepth"/> levels, so whatever passes this check also fits every message that
/// carries it.
/// </summary>
public static class JsonDepth
{
    public const int MaxDataDepth = 48;

    /// <summary>Nesting depth of <paramref name="value"/> (a scalar is 0, <c>{}</c> is 1), counted no further than <paramref name="stopAfter"/> + 1.</summary>
    public static int Of(JsonElement value, int stopAfter = MaxDataDepth)
    {
        // Iterative, so that counting a hostile value cannot itself run out of stack.
        var deepest = 0;
        var pending = new Stack<(JsonElement Value, int Depth)>();
        pending.Push((value, 0));
        while (pending.TryPop(out var next))
        {
            if (next.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                continue;
            var depth = next.Depth + 1;
            if (depth > deepest)
                deepest = depth;
            if (deepest > stopAfter)
                return deepest;
            if (next.Value.ValueKind == JsonValueKind.Object)
                foreach (var property in next.Value.EnumerateObject())
                    pending.Push((property.Value, depth));
            else
                foreach (var item in next.Value.EnumerateArray())
                    pending.Push((item, depth));
        }
        return deepest;
    }

    public static bool IsTooDeep(JsonElement value) => Of(value) > MaxDataDepth;
}
