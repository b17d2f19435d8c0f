using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Workflow.Messaging.Worker.Transport;

/// <summary>Reads queues from the broker itself (a passive declare: consumers and messages right now).</summary>
public interface IBrokerQueueProbe
{
    /// <summary>The readings of <paramref name="queues"/>, or null when the broker cannot be asked now.</summary>
    Task<IReadOnlyList<QueueReading>?> ReadAsync(IReadOnlyCollection<string> queues, CancellationToken cancellation);
}

/// <summary>
/// A connection of its own, apart from MassTransit's: the question is whether MassTransit's consumers
/// are there, so the answer must not depend on MassTransit's connection being healthy. Shared by the
/// endpoint watchdog and the coordinator's pool-depth readings, one reading at a time.
/// </summary>
internal sealed class RabbitMqQueueProbe(IOptions<RabbitMqTransportOptions> transport, ILogger<RabbitMqQueueProbe> log) : IBrokerQueueProbe, IAsyncDisposable
{
    private const ushort NotFound = 404;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task<IReadOnlyList<QueueReading>?> ReadAsync(IReadOnlyCollection<string> queues, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            var connection = await ConnectionAsync(cancellation);
            var readings = new List<QueueReading>(queues.Count);
            foreach (var queue in queues)
                readings.Add(await ReadOneAsync(connection, queue, cancellation));
            return readings;
        }
        catch (Exception exception) when (exception is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException
                                               or System.IO.IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            log.LogDebug(exception, "The broker did not answer the endpoint watchdog");
            await DropConnectionAsync();
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<QueueReading> ReadOneAsync(IConnection connection, string queue, CancellationToken cancellation)
    {
        // One channel for every reading; a passive declare of a missing queue closes it, so only then is another opened.
        if (_channel is not { IsOpen: true })
            _channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        try
        {
            var ok = await _channel.QueueDeclarePassiveAsync(queue, cancellation);
            return new QueueReading(queue, true, ok.ConsumerCount, ok.MessageCount);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == NotFound)
        {
            _channel = null;
            return new QueueReading(queue, false, 0, 0);
        }
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellation)
    {
        if (_connection is { IsOpen: true } open)
            return open;
        await DropConnectionAsync();
        var factory = BrokerConnections.Factory(transport.Value);
        _connection = await factory.CreateConnectionAsync("endpoint-watchdog", cancellation);
        return _connection;
    }

    private async Task DropConnectionAsync()
    {
        _channel = null; // closed with its connection
        if (_connection is null)
            return;
        try
        {
            await _connection.DisposeAsync();
        }
        catch (Exception exception) when (exception is OperationInterruptedException or AlreadyClosedException or System.IO.IOException)
        {
            // Already gone: nothing to close.
        }
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync();
        _gate.Dispose();
    }
}
