using System.CommandLine;
using System.Text.Json;
using Workflow.Messaging.Cli.Commands;

namespace Workflow.Messaging.Cli.Remote;

/// <summary>
/// <c>wf start (workflow-id | --definition file.json) [--version n] [--input json|@file]
/// [--idempotency-key key] [--watch]</c>: starts an execution on the coordinator and prints its id.
/// </summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string?>("workflow") { Description = "Id of a stored workflow", Arity = ArgumentArity.ZeroOrOne };
        var definition = new Option<string?>("--definition") { Description = "Run this definition file instead of a stored workflow" };
        var version = new Option<int?>("--version") { Description = "Version of the stored workflow (default: the latest)" };
        var input = new Option<string?>("--input") { Description = "Execution input: inline JSON or @path/to/file.json" };
        var key = new Option<string?>("--idempotency-key") { Description = "Starting again with the same key returns the same execution" };
        var watch = new Option<bool>("--watch") { Description = "Follow the execution until it ends; the exit code is its outcome" };
        var command = new Command("start", "Start an execution on the coordinator") { workflow, definition, version, input, key, watch };
        command.SetAction((parse, cancellation) => RemoteAction.RunAsync(parse, cancellation, async (client, output, error) =>
        {
            if (!DefinitionFile.TryReadInput(parse.GetValue(input), error, out var inputValue))
                return ExitCodes.BadInput;
            var request = new Dictionary<string, object?> { ["input"] = inputValue };
            if (parse.GetValue(definition) is { } file)
            {
                if (!File.Exists(file))
                {
                    error.WriteLine($"wf: definition file '{file}' does not exist.");
                    return ExitCodes.BadInput;
                }
                try
                {
                    request["definition"] = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement;
                }
                catch (JsonException exception)
                {
                    error.WriteLine($"wf: {file} is not valid JSON: {exception.Message}");
                    return ExitCodes.BadInput;
                }
            }
            else if (parse.GetValue(workflow) is { } id)
            {
                request["workflowId"] = id;
                request["version"] = parse.GetValue(version);
            }
            else
            {
                error.WriteLine("wf: give a stored workflow id or --definition file.json.");
                return ExitCodes.BadInput;
            }
            request["requestedBy"] = $"wf start ({Environment.UserName})";

            var headers = parse.GetValue(key) is { Length: > 0 } k ? new Dictionary<string, string> { ["Idempotency-Key"] = k } : null;
            var response = await client.PostAsync("/api/executions", JsonSerializer.Serialize(request), cancellation, headers);
            if (!response.IsSuccess)
                return Report.Failure(response, error);
            var executionId = response.Json.GetProperty("executionId").GetGuid();
            output.WriteLine(executionId);
            return parse.GetValue(watch) ? await WatchCommand.FollowAsync(client, executionId, output, error, cancellation, justStarted: true) : ExitCodes.Succeeded;
        }));
        return command;
    }
}
