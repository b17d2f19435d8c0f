using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Loose readings of JSON values shared by the control-flow nodes.</summary>
internal static class JsonValues
{
    public static readonly JsonElement Null = JsonDocument.Parse("null").RootElement.Clone();

    public static bool TryGetNumber(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            // Templates render numbers into strings, so "42" must still compare as 42.
            JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    /// <summary>A string as itself, anything else as its JSON text; null and absent as null.</summary>
    public static string? ToText(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { } v => v.GetRawText(),
    };

    public static bool IsNullOrAbsent(JsonElement? value) =>
        value is null || value.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public static bool IsEmpty(JsonElement? value) => value switch
    {
        null => true,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => true,
        { ValueKind: JsonValueKind.String } v => v.GetString()!.Length == 0,
        { ValueKind: JsonValueKind.Array } v => v.GetArrayLength() == 0,
        { ValueKind: JsonValueKind.Object } v => !v.EnumerateObject().Any(),
        _ => false,
    };

    /// <summary>True for JSON true and for the string "true", which is what a template renders.</summary>
    public static bool? ToBoolean(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } v when bool.TryParse(v.GetString(), out var parsed) => parsed,
        _ => null,
    };

    public static bool TryGetDuration(JsonElement? value, out TimeSpan duration)
    {
        duration = default;
        return value switch
        {
            { ValueKind: JsonValueKind.String } v => Duration.TryParse(v.GetString(), out duration),
            { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var ms) && ms >= 0 => Assign(TimeSpan.FromMilliseconds(ms), out duration),
            _ => false,
        };
    }

    /// <summary>Definition-time check: a template is only known at run time, so it passes here.</summary>
    public static bool IsTemplate(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString()!.Contains("{{", StringComparison.Ordinal);

    public static JsonElement ToElement(JsonNode? node) => node is null ? Null : JsonSerializer.SerializeToElement(node);

    private static bool Assign(TimeSpan value, out TimeSpan target)
    {
        target = value;
        return true;
    }
}
