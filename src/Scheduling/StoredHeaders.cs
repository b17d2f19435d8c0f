using System.Text.Json;

namespace Workflow.Messaging.Scheduling;

/// <summary>Headers survive the job store as JSON; transports only carry primitives, so values come back as such.</summary>
static class StoredHeaders
{
    public static IReadOnlyDictionary<string, object> Read(string? json)
    {
        if (json is null)
            return new Dictionary<string, object>();

        var elements = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
        var headers = new Dictionary<string, object>(elements.Count);
        foreach (var (key, element) in elements)
        {
            if (ToValue(element) is { } value)
                headers[key] = value;
        }

        return headers;
    }

    static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number when element.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => element.Clone(),
    };
}
