using System.Text.Json;
using System.Text.RegularExpressions;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>
/// One <c>{left, operator, right}</c> test of an <c>if</c> node. Numbers compare numerically,
/// including strings that parse as numbers (templates render numbers as text); other strings
/// compare ordinally so the result never depends on the worker's culture.
/// </summary>
internal static class Condition
{
    public static readonly IReadOnlySet<string> Operators = new HashSet<string>(StringComparer.Ordinal)
    {
        "eq", "ne", "gt", "gte", "lt", "lte", "contains", "startsWith", "endsWith",
        "exists", "notExists", "isEmpty", "isNotEmpty", "isTrue", "isFalse", "regex",
    };

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static bool Evaluate(JsonElement condition)
    {
        var left = Property(condition, "left");
        var right = Property(condition, "right");
        var op = JsonValues.ToText(Property(condition, "operator"));
        return op switch
        {
            "eq" => AreEqual(left, right),
            "ne" => !AreEqual(left, right),
            "gt" => Compare(left, right) is > 0,
            "gte" => Compare(left, right) is >= 0,
            "lt" => Compare(left, right) is < 0,
            "lte" => Compare(left, right) is <= 0,
            "contains" => Contains(left, right),
            "startsWith" => TextOf(left).StartsWith(TextOf(right), StringComparison.Ordinal),
            "endsWith" => TextOf(left).EndsWith(TextOf(right), StringComparison.Ordinal),
            "exists" => !JsonValues.IsNullOrAbsent(left),
            "notExists" => JsonValues.IsNullOrAbsent(left),
            "isEmpty" => JsonValues.IsEmpty(left),
            "isNotEmpty" => !JsonValues.IsEmpty(left),
            "isTrue" => JsonValues.ToBoolean(left) == true,
            "isFalse" => JsonValues.ToBoolean(left) == false,
            "regex" => Matches(left, right),
            _ => throw NodeExecutionException.Fatal($"Unknown condition operator '{op}'.", "invalid-parameters"),
        };
    }

    private static JsonElement? Property(JsonElement condition, string name) =>
        condition.ValueKind == JsonValueKind.Object && condition.TryGetProperty(name, out var value) ? value : null;

    private static string TextOf(JsonElement? value) => JsonValues.ToText(value) ?? "";

    private static bool AreEqual(JsonElement? left, JsonElement? right)
    {
        if (JsonValues.IsNullOrAbsent(left) || JsonValues.IsNullOrAbsent(right))
            return JsonValues.IsNullOrAbsent(left) && JsonValues.IsNullOrAbsent(right);
        if (JsonValues.TryGetNumber(left!.Value, out var l) && JsonValues.TryGetNumber(right!.Value, out var r))
            return l.Equals(r);
        if (JsonValues.ToBoolean(left) is { } lb && JsonValues.ToBoolean(right) is { } rb)
            return lb == rb;
        if (left.Value.ValueKind == JsonValueKind.String || right!.Value.ValueKind == JsonValueKind.String)
            return string.Equals(TextOf(left), TextOf(right), StringComparison.Ordinal);
        return JsonElement.DeepEquals(left.Value, right.Value);
    }

    /// <summary>Null when the two values have no order (absent, objects, mixed kinds).</summary>
    private static int? Compare(JsonElement? left, JsonElement? right)
    {
        if (JsonValues.IsNullOrAbsent(left) || JsonValues.IsNullOrAbsent(right))
            return null;
        if (JsonValues.TryGetNumber(left!.Value, out var l) && JsonValues.TryGetNumber(right!.Value, out var r))
            return l.CompareTo(r);
        if (left.Value.ValueKind == JsonValueKind.String && right!.Value.ValueKind == JsonValueKind.String)
            return string.CompareOrdinal(left.Value.GetString(), right.Value.GetString());
        return null;
    }

    private static bool Contains(JsonElement? left, JsonElement? right)
    {
        switch (left)
        {
            case { ValueKind: JsonValueKind.Array } array:
                return array.EnumerateArray().Any(item => AreEqual(item, right));
            case { ValueKind: JsonValueKind.Object } obj:
                return JsonValues.ToText(right) is { } name && obj.TryGetProperty(name, out _);
            case null or { ValueKind: JsonValueKind.Null }:
                return false;
            default:
                return TextOf(left).Contains(TextOf(right), StringComparison.Ordinal);
        }
    }

    private static bool Matches(JsonElement? left, JsonElement? right)
    {
        if (JsonValues.IsNullOrAbsent(left))
            return false;
        try
        {
            return Regex.IsMatch(TextOf(left), TextOf(right), RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw NodeExecutionException.Fatal($"'{TextOf(right)}' is not a valid regular expression: {e.Message}", "invalid-parameters", e);
        }
        catch (RegexMatchTimeoutException e)
        {
            throw NodeExecutionException.Fatal("The regular expression took too long to match.", "regex.timeout", e);
        }
    }
}
