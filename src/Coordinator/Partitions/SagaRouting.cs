using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Coordinator.Partitions;

/// <summary>
/// The saga's routing on the broker, set before the bus starts (and again at each restart of it).
/// <para>
/// Partitioned: declares the hash exchange, every partition queue and every binding up front. A
/// partition's endpoint connects only once a lease is won, and RabbitMQ drops what it cannot route: a
/// start published before then would otherwise be lost. With the bindings in place it waits in its
/// partition's queue instead.
/// </para>
/// <para>
/// Either way: removes the bindings the other mode left behind when a deployment switched
/// <see cref="CoordinatorOptions.Partitions"/>. Bindings outlive the processes that made them, and a
/// message exchange still bound the old way would deliver every published message twice; the saga copes
/// with most copies, but an operator command would run twice.
/// </para>
/// </summary>
public sealed class SagaRouting(
    IOptions<RabbitMqTransportOptions> transport,
    ILogger<SagaRouting> log,
    SagaPartitions? partitions = null) : IBusObserver
{
    private const ushort NotFound = 404;
    private const ushort CommandInvalid = 503;

    public async Task PreStart(IBus bus)
    {
        var published = SagaPartitions.PublishedExchanges(bus.Topology);
        var partitioned = partitions is { Count: > 0 };
        var stale = partitioned ? WorkflowExecutionStateDefinition.QueueName : SagaPartitions.ExchangeName;
        try
        {
            await using var connection = await BrokerConnections.Factory(transport.Value).CreateConnectionAsync("saga-routing");
            if (partitioned)
                await DeclarePartitionsAsync(connection, partitions!.Count, published);
            await RemoveStaleBindingsAsync(connection, stale, published);
        }
        catch (Exception exception) when (!partitioned)
        {
            // Only a clean-up: the bus starts (and reconnects) as it would without it.
            log.LogWarning(exception, "Could not check for saga bindings to {Exchange} left by a partitioned deployment; if Coordinator:Partitions " +
                "was switched off, remove them by hand or published messages reach the saga twice", stale);
        }
    }

    private static async Task DeclarePartitionsAsync(IConnection connection, int count, IReadOnlyList<string> published)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.ExchangeDeclareAsync(SagaPartitions.ExchangeName, SagaPartitions.ExchangeType, durable: true, autoDelete: false,
                arguments: new Dictionary<string, object?> { [SagaPartitions.HashPropertyArgument] = SagaPartitions.HashProperty });
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == CommandInvalid)
        {
            throw new InvalidOperationException($"Coordinator:Partitions routes through a {SagaPartitions.ExchangeType} exchange, which this broker " +
                "does not know: enable its plugin (rabbitmq-plugins enable rabbitmq_consistent_hash_exchange) or set Coordinator:Partitions to 0.", exception);
        }
        foreach (var exchange in published)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.ExchangeBindAsync(SagaPartitions.ExchangeName, exchange, "");
        }
        // As MassTransit declares a receive endpoint: a durable queue behind a fanout exchange of the same name.
        for (var partition = 0; partition < count; partition++)
        {
            var name = SagaPartitions.QueueName(partition);
            await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(name, name, "");
            await channel.ExchangeBindAsync(name, SagaPartitions.ExchangeName, SagaPartitions.Weight);
        }
    }

    private static async Task RemoveStaleBindingsAsync(IConnection connection, string stale, IReadOnlyList<string> published)
    {
        if (!await ExistsAsync(connection, stale))
            return; // never made: nothing is bound to it
        // Unbinding what is not bound is no error; a message exchange that does not exist feeds nothing.
        foreach (var exchange in published.Where(e => e != stale))
        {
            if (!await ExistsAsync(connection, exchange))
                continue;
            await using var channel = await connection.CreateChannelAsync();
            await channel.ExchangeUnbindAsync(stale, exchange, "");
        }
    }

    // A passive declare of a missing exchange closes its channel, so each question gets a channel of its own.
    private static async Task<bool> ExistsAsync(IConnection connection, string exchange)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.ExchangeDeclarePassiveAsync(exchange);
            return true;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == NotFound)
        {
            return false;
        }
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PostStart(IBus bus, Task<BusReady> busReady) => Task.CompletedTask;

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
