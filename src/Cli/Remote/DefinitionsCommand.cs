using System.CommandLine;
using Workflow.Messaging.Cli.Commands;

namespace Workflow.Messaging.Cli.Remote;

/// <summary><c>wf definitions push|validate file.json</c> and <c>wf definitions list</c>, against the coordinator's store.</summary>
internal static class DefinitionsCommand
{
    public static Command Create()
    {
        var command = new Command("definitions", "Stored workflow definitions on the coordinator");
        command.Subcommands.Add(WithFile("push", "Store the file as a new version (the next one when it has no version)", "/api/definitions",
            (response, output) => output.WriteLine($"stored {response.Json.GetProperty("id").GetString()} v{response.Json.GetProperty("version").GetInt32()}")));
        command.Subcommands.Add(WithFile("validate", "Check the file on the coordinator (its node types) without storing it", "/api/definitions/validate", null));
        var list = new Command("list", "List stored workflows and their versions");
        list.SetAction((parse, cancellation) => RemoteAction.RunAsync(parse, cancellation, async (client, output, error) =>
        {
            var response = await client.GetAsync("/api/definitions", cancellation);
            if (!response.IsSuccess)
                return Report.Failure(response, error);
            foreach (var definition in response.Json.EnumerateArray())
                output.WriteLine($"{definition.GetProperty("id").GetString()}  v{definition.GetProperty("latestVersion").GetInt32()}  ({definition.GetProperty("versions").GetArrayLength()} version(s))");
            return ExitCodes.Succeeded;
        }));
        command.Subcommands.Add(list);
        return command;
    }

    private static Command WithFile(string name, string description, string path, Action<ApiResponse, TextWriter>? stored)
    {
        var file = new Argument<string>("definition") { Description = "Path of the workflow definition (JSON)" };
        var command = new Command(name, description) { file };
        command.SetAction((parse, cancellation) => RemoteAction.RunAsync(parse, cancellation, async (client, output, error) =>
        {
            var fileName = parse.GetValue(file)!;
            if (!File.Exists(fileName))
            {
                error.WriteLine($"wf: definition file '{fileName}' does not exist.");
                return ExitCodes.BadInput;
            }
            var response = await client.PostAsync(path, await File.ReadAllTextAsync(fileName, cancellation), cancellation);
            if (!response.IsSuccess)
                return Report.Failure(response, error);
            if (stored is not null)
            {
                stored(response, output);
                return ExitCodes.Succeeded;
            }
            var problems = response.Json.GetProperty("problems");
            if (response.Json.GetProperty("valid").GetBoolean())
            {
                output.WriteLine($"{fileName}: valid");
                return ExitCodes.Succeeded;
            }
            error.WriteLine($"wf: {fileName} is not a valid workflow definition ({problems.GetArrayLength()} problem{(problems.GetArrayLength() == 1 ? "" : "s")}):");
            foreach (var problem in problems.EnumerateArray())
                error.WriteLine($"  {problem.GetProperty("path").GetString()}: {problem.GetProperty("message").GetString()} [{problem.GetProperty("code").GetString()}]");
            return ExitCodes.BadInput;
        }));
        return command;
    }
}
