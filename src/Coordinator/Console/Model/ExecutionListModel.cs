using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api.Models;

namespace Workflow.Messaging.Coordinator.Console.Model;

/// <summary>One page of the executions list, its filter, and the counts by status over the filter's workflow.</summary>
public sealed record ExecutionListModel
{
    public string? WorkflowId { get; init; }
    public ExecutionStatus? Status { get; init; }

    /// <summary>Created at or after, and before (UTC).</summary>
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public required int Page { get; init; }
    public required int PageSize { get; init; }
    public required int Total { get; init; }
    public required IReadOnlyList<ExecutionSummary> Items { get; init; }
    public required IReadOnlyDictionary<ExecutionStatus, int> Counts { get; init; }
    public required IReadOnlyList<string> Workflows { get; init; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>The list's address with one setting changed, the others kept.</summary>
    public string Link(int? page = null, ExecutionStatus? status = null, bool clearStatus = false)
    {
        var query = new List<string>();
        if (WorkflowId is not null)
            query.Add("workflow=" + Uri.EscapeDataString(WorkflowId));
        var chosen = clearStatus ? null : status ?? Status;
        if (chosen is not null)
            query.Add("status=" + ConsoleText.Name(chosen.Value));
        if (From is { } from)
            query.Add("from=" + Input(from));
        if (To is { } to)
            query.Add("to=" + Input(to));
        if ((page ?? 1) > 1)
            query.Add("page=" + page);
        return "/ui/executions" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    /// <summary>The value of a datetime-local input.</summary>
    public static string Input(DateTime? utc) =>
        utc?.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
