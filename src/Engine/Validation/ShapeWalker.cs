using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>
/// Compares a parsed document with a <see cref="Shape"/> and reports every mismatch, where the
/// deserializer would stop at the first one.
/// </summary>
internal static class ShapeWalker
{
    public static void Walk(JsonElement value, Shape shape, string path, ProblemCollector problems)
    {
        switch (shape)
        {
            case ObjectShape objectShape when value.ValueKind == JsonValueKind.Object:
                WalkObject(value, objectShape, path, problems);
                break;
            case ArrayShape arrayShape when value.ValueKind == JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    Walk(item, arrayShape.Items, DefinitionPath.Index(path, index++), problems);
                break;
            case MapShape when value.ValueKind == JsonValueKind.Object:
                ReportRepeatedNames(value, path, StringComparer.Ordinal, problems);
                break;
            case StringShape when value.ValueKind == JsonValueKind.String:
                break;
            case IntegerShape when value.ValueKind == JsonValueKind.Number:
                if (!value.TryGetInt32(out _))
                    problems.Add(path, DefinitionProblemCodes.WrongType, $"Expected a whole number between {int.MinValue} and {int.MaxValue}, found {Echo.Of(value.GetRawText())}.");
                break;
            case NumberShape when value.ValueKind == JsonValueKind.Number:
                if (!value.TryGetDouble(out _))
                    problems.Add(path, DefinitionProblemCodes.WrongType, $"Expected a finite number, found {Echo.Of(value.GetRawText())}.");
                break;
            case DurationShape when value.ValueKind is JsonValueKind.String or JsonValueKind.Number:
                if (!IsDuration(value))
                    problems.Add(path, DefinitionProblemCodes.InvalidDuration,
                        $"{Echo.Of(value.GetRawText())} is not a duration: use 250ms, 30s, 5m, 2h, 1d, hh:mm:ss or a number of milliseconds.");
                break;
            case EnumShape enumShape when value.ValueKind == JsonValueKind.String:
                if (!enumShape.Values.Contains(value.GetString(), StringComparer.Ordinal))
                    problems.Add(path, DefinitionProblemCodes.InvalidValue, $"Expected {enumShape.Expected}, found {Echo.Of(value.GetRawText())}.");
                break;
            default:
                problems.Add(path, DefinitionProblemCodes.WrongType, $"Expected {shape.Expected}, found {Describe(value)}.");
                break;
        }
    }

    private static void WalkObject(JsonElement value, ObjectShape shape, string path, ProblemCollector problems)
    {
        // The serializer matches names ignoring case (web defaults), so "Nodes" counts as "nodes".
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in value.EnumerateObject())
        {
            var member = shape.Members.FirstOrDefault(m => string.Equals(m.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (member is null)
            {
                problems.Add(DefinitionPath.Property(path, property.Name), DefinitionProblemCodes.UnknownProperty,
                    $"Unknown property '{Echo.Of(property.Name)}'; expected {string.Join(", ", shape.Members.Select(m => m.Name))}.");
                continue;
            }
            var memberPath = DefinitionPath.Property(path, member.Name);
            if (!present.Add(member.Name))
                problems.Add(memberPath, DefinitionProblemCodes.DuplicateProperty, $"Property '{member.Name}' appears more than once.");
            else if (property.Value.ValueKind == JsonValueKind.Null)
            {
                if (!member.Nullable)
                    problems.Add(memberPath, DefinitionProblemCodes.WrongType, $"Expected {member.Shape.Expected}, found null.");
            }
            else
                Walk(property.Value, member.Shape, memberPath, problems);
        }
        foreach (var member in shape.Members.Where(m => m.Required && !present.Contains(m.Name)))
            problems.Add(DefinitionPath.Property(path, member.Name), DefinitionProblemCodes.MissingProperty, $"Required property '{member.Name}' is missing.");
    }

    private static void ReportRepeatedNames(JsonElement value, string path, StringComparer comparer, ProblemCollector problems)
    {
        var names = new HashSet<string>(comparer);
        foreach (var property in value.EnumerateObject())
        {
            if (!names.Add(property.Name))
                problems.Add(DefinitionPath.Property(path, property.Name), DefinitionProblemCodes.DuplicateProperty, $"Property '{Echo.Of(property.Name)}' appears more than once.");
        }
    }

    private static bool IsDuration(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
            return value.TryGetDouble(out var milliseconds) && Math.Abs(milliseconds) < TimeSpan.MaxValue.TotalMilliseconds;
        try
        {
            return Duration.TryParse(value.GetString(), out _);
        }
        catch (OverflowException)
        {
            // Duration.TryParse overflows on amounts like "1e300d" instead of answering false.
            return false;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
