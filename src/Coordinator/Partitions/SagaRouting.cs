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

    // PreStart has no cancellation of its own, and a host that gives up starting (Hosting:StartDeadline)
    // waits for its start to return: a broker that accepts connections but never answers must not hold it.
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    public async Task PreStart(IBus bus)
    {
        var published = SagaPartitions.PublishedExchanges(bus.Topology);
        var partitioned = partitions is { Count: > 0 };
        var stale = partitioned ? WorkflowExecutionStateDefinition.QueueName : SagaPartitions.ExchangeName;
        using var limit = new CancellationTokenSource(Within);
        try
        {
            await using var connection = await BrokerConnections.Factory(transport.Value).CreateConnectionAsync("saga-routing", limit.Token);
            if (partitioned)
                await DeclarePartitionsAsync(connection, partitions!.Count, published, limit.Token);
            await RemoveStaleBindingsAsync(connection, stale, published, limit.Token);
        }
        catch (Exception exception) when (!partitioned)
        {
            // Only a clean-up: the bus starts (and reconnects) as it would without it.
            log.LogWarning(exception, "Could not check for saga bindings to {Exchange} left by a partitioned deployment; if Coordinator:Partitions " +
                "was switched off, remove them by hand or published messages reach the saga twice", stale);
        }
    }

    private static async Task DeclarePartitionsAsync(IConnection connection, int count, IReadOnlyList<string> published, CancellationToken cancellation)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        try
        {
            await channel.ExchangeDeclareAsync(SagaPartitions.ExchangeName, SagaPartitions.ExchangeType, durable: true, autoDelete: false,
                arguments: new Dictionary<string, object?> { [SagaPartitions.HashPropertyArgument] = SagaPartitions.HashProperty }, cancellationToken: cancellation);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == CommandInvalid)
        {
            throw new InvalidOperationException($"Coordinator:Partitions routes through a {SagaPartitions.ExchangeType} exchange, which this broker " +
                "does not know: enable its plugin (rabbitmq-plugins enable rabbitmq_consistent_hash_exchange) or set Coordinator:Partitions to 0.", exception);
        }
        foreach (var exchange in published)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellation);
            await channel.ExchangeBindAsync(SagaPartitions.ExchangeName, exchange, "", cancellationToken: cancellation);
        }
        // As MassTransit declares a receive endpoint: a durable queue behind a fanout exchange of the same name.
        for (var partition = 0; partition < count; partition++)
        {
            var name = SagaPartitions.QueueName(partition);
            await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellation);
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellation);
            await channel.QueueBindAsync(name, name, "", cancellationToken: cancellation);
            await channel.ExchangeBindAsync(name, SagaPartitions.ExchangeName, SagaPartitions.Weight, cancellationToken: cancellation);
        }
    }

    private static async Task RemoveStaleBindingsAsync(IConnection connection, string stale, IReadOnlyList<string> published, CancellationToken cancellation)
    {
        if (!await ExistsAsync(connection, stale, cancellation))
            return; // never made: nothing is bound to it
        // Unbinding what is not bound is no error; a message exchange that does not exist feeds nothing.
        foreach (var exchange in published.Where(e => e != stale))
        {
            if (!await ExistsAsync(connection, exchange, cancellation))
                continue;
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
            await channel.ExchangeUnbindAsync(stale, exchange, "", cancellationToken: cancellation);
        }
    }

    // A passive declare of a missing exchange closes its channel, so each question gets a channel of its own.
    private static async Task<bool> ExistsAsync(IConnection connection, string exchange, CancellationToken cancellation)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        try
        {
            await channel.ExchangeDeclarePassiveAsync(exchange, cancellation);
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
