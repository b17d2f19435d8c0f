using System.Globalization;
using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Console.Model;

/// <summary>How the console writes statuses, times and JSON: the API's names, so the two read the same.</summary>
public static class ConsoleText
{
    private static readonly JsonSerializerOptions Indented = new(WorkflowJson.Options) { WriteIndented = true };

    public static string Name(ExecutionStatus status) => JsonSerializer.Serialize(status).Trim('"');

    public static string Name(NodeStatus status) => JsonSerializer.Serialize(status).Trim('"');

    public static string Time(DateTime? utc) => utc is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Duration(TimeSpan span) => span.TotalSeconds < 1
        ? $"{span.TotalMilliseconds:0} ms"
        : span.TotalMinutes < 1 ? $"{span.TotalSeconds:0.0} s" : $"{span.TotalMinutes:0.0} min";

    public static string Json(object? value) => value is null ? "" : JsonSerializer.Serialize(value, Indented);

    public static bool TryParse(string? name, out ExecutionStatus status)
    {
        foreach (var candidate in Enum.GetValues<ExecutionStatus>())
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        status = default;
        return false;
    }
}
