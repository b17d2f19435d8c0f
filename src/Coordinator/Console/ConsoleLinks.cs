using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Console;

/// <summary>Where the console links out: Seq's search for an execution, the management UI's page of a pool's queue.</summary>
public sealed class ConsoleLinks(IOptions<ConsoleOptions> options)
{
    public string? Seq(Guid executionId) => options.Value.SeqUrl is { Length: > 0 } seq
        ? $"{seq.TrimEnd('/')}/#/events?filter={Uri.EscapeDataString($"ExecutionId = '{executionId}'")}"
        : null;

    public string? Queue(string? pool) => options.Value.RabbitMqManagementUrl is { Length: > 0 } management
        ? $"{management.TrimEnd('/')}/#/queues/{Uri.EscapeDataString(options.Value.RabbitMqVirtualHost)}/{Uri.EscapeDataString(NodePools.QueueName(pool))}"
        : null;
}
