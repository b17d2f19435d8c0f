using System.CommandLine;
using System.Text;
using Workflow.Messaging.Cli.Commands;

namespace Workflow.Messaging.Cli.Remote;

/// <summary><c>wf list [--workflow id] [--status s,s] [--from t] [--to t] [--page n] [--page-size n]</c>: executions, newest first.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var workflow = new Option<string?>("--workflow") { Description = "Only executions of this workflow" };
        var status = new Option<string?>("--status") { Description = "Only these statuses, comma-separated (running, paused, succeeded, failed, ...)" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Created at or after (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Created before (ISO 8601)" };
        var page = new Option<int>("--page") { Description = "Page number, from 1", DefaultValueFactory = _ => 1 };
        var pageSize = new Option<int>("--page-size") { Description = "Executions per page", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List executions, newest first") { workflow, status, from, to, page, pageSize };
        command.SetAction((parse, cancellation) => RemoteAction.RunAsync(parse, cancellation, async (client, output, error) =>
        {
            var query = new StringBuilder($"/api/executions?page={parse.GetValue(page)}&pageSize={parse.GetValue(pageSize)}");
            if (parse.GetValue(workflow) is { } w)
                query.Append("&workflowId=").Append(Uri.EscapeDataString(w));
            if (parse.GetValue(status) is { } s)
                query.Append("&status=").Append(Uri.EscapeDataString(s));
            if (parse.GetValue(from) is { } f)
                query.Append("&from=").Append(Uri.EscapeDataString(f.ToString("O")));
            if (parse.GetValue(to) is { } t)
                query.Append("&to=").Append(Uri.EscapeDataString(t.ToString("O")));
            var response = await client.GetAsync(query.ToString(), cancellation);
            if (!response.IsSuccess)
                return Report.Failure(response, error);
            var result = response.Json;
            foreach (var execution in result.GetProperty("items").EnumerateArray())
                output.WriteLine($"{execution.GetProperty("id").GetGuid()}  {execution.GetProperty("status").GetString(),-10} {execution.GetProperty("workflowId").GetString()} v{execution.GetProperty("workflowVersion").GetInt32()}  {execution.GetProperty("createdAt").GetDateTime():u}");
            var total = result.GetProperty("total").GetInt32();
            var size = result.GetProperty("pageSize").GetInt32();
            output.WriteLine($"page {result.GetProperty("page").GetInt32()} of {Math.Max(1, (total + size - 1) / size)}, {total} execution{(total == 1 ? "" : "s")}");
            return ExitCodes.Succeeded;
        }));
        return command;
    }
}
