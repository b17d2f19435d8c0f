using System.CommandLine;
using System.Text.Json;
using Workflow.Messaging.Cli.Commands;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Cli.Remote;

/// <summary>
/// <c>wf watch id</c>: follows the execution's server-sent events, one line per node transition,
/// until it ends. Exit code 0 only when it succeeded.
/// </summary>
internal static class WatchCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create()
    {
        var id = new Argument<Guid>("execution") { Description = "Execution id" };
        var command = new Command("watch", "Follow an execution's progress live until it ends") { id };
        command.SetAction((parse, cancellation) => RemoteAction.RunAsync(parse, cancellation,
            (client, output, error) => FollowAsync(client, parse.GetValue(id), output, error, cancellation)));
        return command;
    }

    /// <param name="justStarted">
    /// The start was accepted a moment ago: until the saga's first step (or the outbox's delivery)
    /// the execution is unknown, so a 404 is retried for a few seconds.
    /// </param>
    public static async Task<int> FollowAsync(ApiClient client, Guid executionId, TextWriter output, TextWriter error, CancellationToken cancellationToken,
        bool justStarted = false)
    {
        var path = $"/api/executions/{executionId}/events";
        var (response, failure) = await client.OpenStreamAsync(path, cancellationToken);
        for (var wait = 0; justStarted && failure?.Status == System.Net.HttpStatusCode.NotFound && wait < 50; wait++)
        {
            await Task.Delay(200, cancellationToken);
            (response, failure) = await client.OpenStreamAsync(path, cancellationToken);
        }
        if (failure is not null)
            return Report.Failure(failure, error);
        using (response)
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            string? name = null;
            string? lastStatus = null;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                    continue;
                }
                if (!line.StartsWith("data: ", StringComparison.Ordinal) || name is null)
                    continue;
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                switch (name)
                {
                    case "snapshot":
                        lastStatus = data.GetProperty("status").GetString();
                        output.WriteLine($"Execution {executionId} ({data.GetProperty("workflowId").GetString()} v{data.GetProperty("workflowVersion").GetInt32()}) is {lastStatus}");
                        foreach (var text in Report.Lines(data.GetProperty("nodes").Deserialize<List<NodeTransition>>(Json)!))
                            output.WriteLine(text);
                        break;
                    case "progress":
                        foreach (var text in Report.Lines(data.GetProperty("transitions").Deserialize<List<NodeTransition>>(Json)!))
                            output.WriteLine(text);
                        break;
                    case "paused" or "resumed":
                        output.WriteLine($"Execution {name}.");
                        break;
                    case "finished":
                        return Finished(data, output, error);
                }
            }
            // Every stream ends with a finished event; without one the server went away.
            error.WriteLine($"wf: the event stream ended while the execution was {lastStatus ?? "unknown"}.");
            return ExitCodes.Unreachable;
        }
    }

    private static int Finished(JsonElement data, TextWriter output, TextWriter error)
    {
        var status = data.GetProperty("status").GetString();
        var details = data.GetProperty("details");
        switch (status)
        {
            case "succeeded":
                output.WriteLine("Execution succeeded. Outputs:");
                output.WriteLine(JsonSerializer.Serialize(details.GetProperty("outputs"), Report.Pretty));
                return ExitCodes.Succeeded;
            case "failed":
                var nodeError = details.GetProperty("error");
                error.WriteLine($"Execution failed at node '{details.GetProperty("failedNodeId").GetString()}': {nodeError.GetProperty("message").GetString()}"
                    + (nodeError.TryGetProperty("code", out var code) ? $" [{code.GetString()}]" : ""));
                return ExitCodes.ExecutionDidNotSucceed;
            case "rejected":
                foreach (var problem in details.GetProperty("problems").EnumerateArray())
                    error.WriteLine($"  {problem.GetProperty("path").GetString()}: {problem.GetProperty("message").GetString()} [{problem.GetProperty("code").GetString()}]");
                return ExitCodes.BadInput;
            default:
                error.WriteLine($"Execution ended {status}.");
                return ExitCodes.ExecutionDidNotSucceed;
        }
    }
}
