using System.CommandLine;
using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.Cli.Remote;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Cli.Commands;

/// <summary>
/// <c>wf run file.json [--input json|@file]</c>: boots the embedded fleet (coordinator and workers
/// in this process, in-memory transport), runs one execution, shows each node's progress and the
/// final outputs. Exit code 0 only when the execution succeeded.
/// </summary>
internal static class RunCommand
{
    private static readonly JsonSerializerOptions Pretty = new(WorkflowJson.Options) { WriteIndented = true };

    public static Command Create()
    {
        var file = new Argument<string>("definition") { Description = "Path of the workflow definition (JSON)" };
        var input = new Option<string?>("--input") { Description = "Execution input: inline JSON or @path/to/file.json" };
        var command = new Command("run", "Run a workflow on the embedded fleet and print its outputs") { file, input };
        command.SetAction((parse, cancellation) => RunAsync(parse.GetValue(file)!, parse.GetValue(input), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string path, string? inputText, CancellationToken cancellation)
    {
        var events = Channel.CreateUnbounded<object>();
        var builder = Host.CreateApplicationBuilder();
        // Node failures are shown as progress lines; the log would say them twice.
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(events);
        builder.AddCoordinator(x => x.AddConsumer<ExecutionWatcher>());
        using var host = builder.Build();

        var definition = DefinitionFile.Read(path, host.Services.GetRequiredService<INodeTypeCatalog>(), Console.Error);
        if (definition is null || !DefinitionFile.TryReadInput(inputText, Console.Error, out var input))
            return ExitCodes.BadInput;

        await host.StartAsync(cancellation);
        try
        {
            var executionId = NewId.NextGuid();
            Console.WriteLine($"Running {definition.Id} v{definition.Version} as execution {executionId}");
            await host.Services.GetRequiredService<IBus>().Publish(new StartWorkflow
            {
                ExecutionId = executionId,
                Definition = definition,
                Input = input,
                RequestedBy = "wf run",
            }, cancellation);
            return await ReportAsync(events.Reader, executionId, cancellation);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> ReportAsync(ChannelReader<object> events, Guid executionId, CancellationToken cancellation)
    {
        await foreach (var message in events.ReadAllAsync(cancellation))
        {
            switch (message)
            {
                case ExecutionProgressed p when p.ExecutionId == executionId:
                    foreach (var line in Report.Lines(p.Transitions))
                        Console.WriteLine(line);
                    break;
                case ExecutionSucceeded s when s.ExecutionId == executionId:
                    Console.WriteLine("Execution succeeded. Outputs:");
                    Console.WriteLine(JsonSerializer.Serialize(s.Outputs, Pretty));
                    return ExitCodes.Succeeded;
                case ExecutionFailed f when f.ExecutionId == executionId:
                    Console.Error.WriteLine($"Execution failed at node '{f.FailedNodeId}': {f.Error.Message} [{f.Error.Code}]");
                    return ExitCodes.ExecutionDidNotSucceed;
                case ExecutionRejected r when r.ExecutionId == executionId:
                    foreach (var problem in r.Problems)
                        Console.Error.WriteLine($"  {problem.Path}: {problem.Message} [{problem.Code}]");
                    return ExitCodes.BadInput;
                case ExecutionFinished other when other.ExecutionId == executionId:
                    Console.Error.WriteLine($"Execution ended {other.Status.ToString().ToLowerInvariant()}.");
                    return ExitCodes.ExecutionDidNotSucceed;
            }
        }
        return ExitCodes.ExecutionDidNotSucceed;
    }
}
