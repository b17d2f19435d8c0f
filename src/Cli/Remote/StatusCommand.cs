using System.CommandLine;
using System.Text.Json;
using Workflow.Messaging.Cli.Commands;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Cli.Remote;

/// <summary><c>wf status id [--json]</c>: the execution's status and every node's state, attempts and error.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var id = new Argument<Guid>("execution") { Description = "Execution id" };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON as it is (outputs included)" };
        var command = new Command("status", "Show an execution: status, nodes, attempts, errors") { id, json };
        command.SetAction((parse, cancellation) => RemoteAction.RunAsync(parse, cancellation, async (client, output, error) =>
        {
            var response = await client.GetAsync($"/api/executions/{parse.GetValue(id)}", cancellation);
            if (!response.IsSuccess)
                return Report.Failure(response, error);
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(response.Json, Report.Pretty));
            else
                Print(response.Json, output);
            return ExitCodes.Succeeded;
        }));
        return command;
    }

    private static void Print(JsonElement execution, TextWriter output)
    {
        output.WriteLine($"{execution.GetProperty("id").GetGuid()}  {execution.GetProperty("workflowId").GetString()} v{execution.GetProperty("workflowVersion").GetInt32()}  {execution.GetProperty("status").GetString()}");
        output.WriteLine($"  created {execution.GetProperty("createdAt").GetDateTime():u}"
            + (execution.TryGetProperty("finishedAt", out var finished) ? $", finished {finished.GetDateTime():u}" : ""));
        if (execution.TryGetProperty("waitingFor", out var waitingFor) && waitingFor.ValueKind == JsonValueKind.Array)
            output.WriteLine($"  waiting for {string.Join(", ", waitingFor.EnumerateArray().Select(k => k.GetString()))}");
        if (execution.TryGetProperty("failedNodeId", out var failedNode))
            output.WriteLine($"  failed at {failedNode.GetString()}");
        foreach (var node in execution.GetProperty("nodes").EnumerateArray())
        {
            var status = node.GetProperty("status").Deserialize<NodeStatus>();
            var attempts = node.GetProperty("instances").EnumerateArray().Sum(i => i.GetProperty("attempts").GetInt32());
            var line = $"  {Report.Symbol(status),-2}{node.GetProperty("id").GetString(),-20} {node.GetProperty("type").GetString(),-10} {Report.StatusName(status),-15} attempts {attempts}";
            if (node.TryGetProperty("error", out var nodeError))
                line += $"  {nodeError.GetProperty("message").GetString()}";
            output.WriteLine(line);
        }
    }
}
