using System.Net;
using System.Text.Json;
using Workflow.Messaging.Cli.Commands;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Cli.Remote;

/// <summary>How remote commands print answers and failures, and the exit code each failure means.</summary>
internal static class Report
{
    public static readonly JsonSerializerOptions Pretty = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Prints a refused request as one line (plus definition problems, one a line) and returns its exit code.</summary>
    public static int Failure(ApiResponse response, TextWriter error)
    {
        var body = response.Body;
        var title = body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("title", out var t) ? t.GetString() : response.Status.ToString();
        var detail = body is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("detail", out var x) ? x.GetString() : null;
        error.WriteLine($"wf: {(int)response.Status} {title}{(detail is null ? "" : $": {detail}")}");
        if (body is { ValueKind: JsonValueKind.Object } p)
        {
            if (p.TryGetProperty("problems", out var problems))
                foreach (var problem in problems.EnumerateArray())
                    error.WriteLine($"  {problem.GetProperty("path").GetString()}: {problem.GetProperty("message").GetString()} [{problem.GetProperty("code").GetString()}]");
            else if (p.TryGetProperty("errors", out var errors))
                foreach (var field in errors.EnumerateObject())
                    foreach (var message in field.Value.EnumerateArray())
                        error.WriteLine($"  {field.Name}: {message.GetString()}");
        }
        return response.Status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => ExitCodes.BadInput,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Unauthorized,
            _ => ExitCodes.Refused,
        };
    }

    public static int Unreachable(Uri api, Exception exception, TextWriter error)
    {
        error.WriteLine($"wf: cannot reach the coordinator at {api}: {exception.Message}");
        return ExitCodes.Unreachable;
    }

    public static string StatusName<T>(T status) where T : struct, Enum => JsonSerializer.Serialize(status).Trim('"');

    public static string Symbol(NodeStatus status) => status switch
    {
        NodeStatus.Succeeded => "✓",
        NodeStatus.Failed => "✗",
        NodeStatus.Skipped => "-",
        NodeStatus.Running => "▶",
        NodeStatus.RetryScheduled => "↻",
        NodeStatus.Waiting => "…",
        NodeStatus.Cancelled => "■",
        _ => "·",
    };

    /// <summary>One progress line per transition; Ready is an internal hand-over to dispatch and is left out.</summary>
    public static IEnumerable<string> Lines(IEnumerable<NodeTransition> transitions) =>
        transitions.Where(t => t.Status != NodeStatus.Ready).Select(t =>
            $"  {Symbol(t.Status),-2}{t.NodeId}{(t.ItemIndex is { } i ? $"[{i}]" : "")}  {StatusName(t.Status)}"
            + (t.Attempt > 1 ? $" (attempt {t.Attempt})" : "") + (t.Error is null ? "" : $": {t.Error}"));
}
