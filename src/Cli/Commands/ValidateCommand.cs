using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes;

namespace Workflow.Messaging.Cli.Commands;

/// <summary><c>wf validate file.json</c>: lists every problem with its JSON path; exit 0 when valid.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("definition") { Description = "Path of the workflow definition (JSON)" };
        var command = new Command("validate", "Check a workflow definition without running it") { file };
        command.SetAction(parse =>
        {
            using var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
                .AddLogging().AddBuiltInNodes().BuildServiceProvider();
            var definition = DefinitionFile.Read(parse.GetValue(file)!, services.GetRequiredService<INodeTypeCatalog>(), Console.Error);
            if (definition is null)
                return ExitCodes.BadInput;
            Console.WriteLine($"{definition.Id} v{definition.Version}: valid ({definition.Nodes.Count} nodes, {definition.Connections.Count} connections)");
            return ExitCodes.Succeeded;
        });
        return command;
    }
}
