using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Workflow.Messaging.Cli.Commands;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes;
using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Cli.Remote;

/// <summary>
/// <c>wf publish (workflow-id | --definition file.json) --rabbitmq host [--input json|@file]
/// [--execution-id id]</c>: publishes StartWorkflow straight to RabbitMQ, as a client service
/// would, with no coordinator API in between. The execution id is the idempotency key.
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var workflow = new Argument<string?>("workflow") { Description = "Id of a stored workflow", Arity = ArgumentArity.ZeroOrOne };
        var definition = new Option<string?>("--definition") { Description = "Send this definition file inline instead" };
        var version = new Option<int?>("--version") { Description = "Version of the stored workflow (default: the latest)" };
        var input = new Option<string?>("--input") { Description = "Execution input: inline JSON or @path/to/file.json" };
        var executionId = new Option<Guid?>("--execution-id") { Description = "Id of the execution; publishing again with it starts nothing new" };
        var host = new Option<string>("--rabbitmq")
        {
            Description = "RabbitMQ host (env WF_RABBITMQ_HOST; port, user and password from WF_RABBITMQ_PORT, WF_RABBITMQ_USER, WF_RABBITMQ_PASS)",
            DefaultValueFactory = _ => Env("WF_RABBITMQ_HOST", "127.0.0.1"),
        };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "Give up connecting after this long", DefaultValueFactory = _ => TimeSpan.FromSeconds(20) };
        var command = new Command("publish", "Publish a StartWorkflow message straight to RabbitMQ") { workflow, definition, version, input, executionId, host, timeout };
        command.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!DefinitionFile.TryReadInput(parse.GetValue(input), error, out var inputValue))
                return ExitCodes.BadInput;
            WorkflowDefinition? inline = null;
            if (parse.GetValue(definition) is { } file)
            {
                using var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
                    .AddLogging().AddBuiltInNodes().BuildServiceProvider();
                inline = DefinitionFile.Read(file, services.GetRequiredService<INodeTypeCatalog>(), error);
                if (inline is null)
                    return ExitCodes.BadInput;
            }
            else if (parse.GetValue(workflow) is null)
            {
                error.WriteLine("wf: give a stored workflow id or --definition file.json.");
                return ExitCodes.BadInput;
            }

            var message = new StartWorkflow
            {
                ExecutionId = parse.GetValue(executionId) ?? NewId.NextGuid(),
                Definition = inline,
                WorkflowId = inline is null ? parse.GetValue(workflow) : null,
                WorkflowVersion = inline is null ? parse.GetValue(version) : null,
                Input = inputValue,
                RequestedBy = $"wf publish ({Environment.UserName})",
            };
            var hostName = parse.GetValue(host)!;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(parse.GetValue(timeout));
            var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.Host(hostName, ushort.Parse(Env("WF_RABBITMQ_PORT", "5672"), System.Globalization.CultureInfo.InvariantCulture), "/", h =>
                {
                    h.Username(Env("WF_RABBITMQ_USER", "guest"));
                    h.Password(Env("WF_RABBITMQ_PASS", "guest"));
                });
                cfg.UseExecutionCorrelation();
            });
            try
            {
                await bus.StartAsync(limit.Token);
                await bus.Publish(message, limit.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or RabbitMqConnectionException or MassTransitException)
            {
                error.WriteLine($"wf: cannot publish to RabbitMQ at {hostName}: {exception.Message}");
                return ExitCodes.Unreachable;
            }
            finally
            {
                await bus.StopAsync(CancellationToken.None);
            }
            output.WriteLine(message.ExecutionId);
            return ExitCodes.Succeeded;
        });
        return command;
    }

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
