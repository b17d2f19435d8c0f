using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Console;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.ServiceDefaults;

namespace Workflow.Messaging.Cli.Remote;

/// <summary>
/// <c>wf serve [--port 8080]</c>: the embedded mode with its API: coordinator, workers, the
/// HTTP API and the operator console (<c>/ui</c>) in this process, on the in-memory transport, listening on loopback only. No API key
/// is asked for unless one is given (<c>--api-key</c>, WF_API_KEY or <c>Api__Keys__0</c>); requests from other
/// host names and origins, and API writes that are not JSON, are refused (<see cref="LoopbackHost"/>).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Loopback port of the API", DefaultValueFactory = _ => 8080 };
        var command = new Command("serve", "Run an embedded coordinator with its HTTP API on loopback (for wf start/status/watch)") { port };
        command.SetAction(async (parse, cancellation) =>
        {
            var builder = LoopbackHost.CreateBuilder(parse.GetValue(port), ApiConnection.Key(parse), new Dictionary<string, string?>
            {
                // A terminal tool: only what is wrong, and where it listens.
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Information",
            });
            builder.AddServiceDefaults();
            builder.AddCoordinator(x => x.AddExecutionProgressFeed());
            builder.AddCoordinatorApi();
            builder.AddCoordinatorConsole();
            await using var app = builder.Build();
            app.MapDefaultEndpoints();
            app.MapCoordinatorApi();
            app.MapCoordinatorConsole();
            await app.StartAsync(cancellation);
            parse.InvocationConfiguration.Output.WriteLine(
                $"wf serve: API on http://127.0.0.1:{parse.GetValue(port)}, console on http://127.0.0.1:{parse.GetValue(port)}/ui (Ctrl+C stops)");
            await app.WaitForShutdownAsync(cancellation);
            return Commands.ExitCodes.Succeeded;
        });
        return command;
    }
}
