using System.CommandLine;
using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Console;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.Cli.Remote;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Cli.Commands;

/// <summary>
/// <c>wf run file.json [--input json|@file]</c>: boots the embedded fleet (coordinator and workers
/// in this process, in-memory transport), runs one execution, shows each node's progress and the
/// final outputs. Exit code 0 only when the execution succeeded. With <c>--ui</c> the same process
/// also serves the API and the operator console on loopback, prints the execution's console URL,
/// and keeps serving after the execution ends until Ctrl+C.
/// </summary>
internal static class RunCommand
{
    private static readonly JsonSerializerOptions Pretty = new(WorkflowJson.Options) { WriteIndented = true };

    public static Command Create()
    {
        var file = new Argument<string>("definition") { Description = "Path of the workflow definition (JSON)" };
        var input = new Option<string?>("--input") { Description = "Execution input: inline JSON or @path/to/file.json" };
        var ui = new Option<bool>("--ui") { Description = "Also serve the operator console on loopback and keep serving until Ctrl+C" };
        var port = new Option<int>("--port") { Description = "Loopback port of the console with --ui", DefaultValueFactory = _ => 8080 };
        var command = new Command("run", "Run a workflow on the embedded fleet and print its outputs") { file, input, ui, port };
        command.SetAction((parse, cancellation) =>
            RunAsync(parse.GetValue(file)!, parse.GetValue(input), parse.GetValue(ui) ? parse.GetValue(port) : null, cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string path, string? inputText, int? consolePort, CancellationToken cancellation)
    {
        var events = Channel.CreateUnbounded<object>();
        using IHost host = consolePort is { } listenOn ? WithConsole(events, listenOn) : Headless(events);

        var definition = DefinitionFile.Read(path, host.Services.GetRequiredService<INodeTypeCatalog>(), Console.Error);
        if (definition is null || !DefinitionFile.TryReadInput(inputText, Console.Error, out var input))
            return ExitCodes.BadInput;

        await host.StartAsync(cancellation);
        try
        {
            var executionId = NewId.NextGuid();
            Console.WriteLine($"Running {definition.Id} v{definition.Version} as execution {executionId}");
            if (consolePort is { } consoleOn)
                Console.WriteLine($"Console: http://127.0.0.1:{consoleOn}/ui/executions/{executionId}");
            await host.Services.GetRequiredService<IBus>().Publish(new StartWorkflow
            {
                ExecutionId = executionId,
                Definition = definition,
                Input = input,
                RequestedBy = "wf run",
            }, cancellation);
            var exitCode = await ReportAsync(events.Reader, executionId, cancellation);
            if (consolePort is not null)
            {
                Console.WriteLine("The console keeps serving; Ctrl+C stops.");
                await host.WaitForShutdownAsync(cancellation);
            }
            return exitCode;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static IHost Headless(Channel<object> events)
    {
        var builder = Host.CreateApplicationBuilder();
        // Node failures are shown as progress lines; the log would say them twice.
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(events);
        builder.AddCoordinator(x => x.AddConsumer<ExecutionWatcher>());
        return builder.Build();
    }

    /// <summary>The same fleet with the API (no key: loopback only, as <c>wf serve</c>) and the console.</summary>
    private static WebApplication WithConsole(Channel<object> events, int port)
    {
        var builder = Remote.LoopbackHost.CreateBuilder(port, apiKey: null);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(events);
        builder.AddCoordinator(x =>
        {
            x.AddConsumer<ExecutionWatcher>();
            x.AddExecutionProgressFeed();
        });
        builder.AddCoordinatorApi();
        builder.AddCoordinatorConsole();
        var app = builder.Build();
        app.MapCoordinatorApi();
        app.MapCoordinatorConsole();
        return app;
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
