using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Workflow.Messaging.Coordinator.Admission.Pools;

/// <summary>
/// Reads a pool queue's depth with a passive queue declare on a connection of its own (the same
/// broker settings as the bus): the broker answers with the messages ready, nothing is created, and
/// no management plugin or HTTP port is needed. A queue that does not exist yet holds nothing.
/// </summary>
public sealed class RabbitMqPoolDepthReader(IOptions<RabbitMqTransportOptions> options) : IPoolDepthReader, IAsyncDisposable
{
    private const ushort NotFound = 404;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task<long?> ReadAsync(string queue, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var channel = await ChannelAsync(cancellationToken);
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                return declared.MessageCount;
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
            {
                // The broker closes a channel whose passive declare failed; the next read opens another.
                await CloseChannelAsync();
                return 0;
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_connection is not { IsOpen: true })
        {
            await CloseAsync();
            var settings = options.Value;
            var factory = new ConnectionFactory
            {
                HostName = settings.Host,
                Port = settings.Port,
                VirtualHost = string.IsNullOrEmpty(settings.VHost) ? "/" : settings.VHost,
                UserName = settings.User,
                Password = settings.Pass,
                Ssl = new SslOption { Enabled = settings.UseSsl, ServerName = settings.Host },
                // The monitor reads again at its next interval; the client's own recovery would only race it.
                AutomaticRecoveryEnabled = false,
            };
            _connection = await factory.CreateConnectionAsync("workflow-pool-depth", cancellationToken);
        }
        if (_channel is not { IsOpen: true })
            _channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return _channel;
    }

    private async Task CloseChannelAsync()
    {
        if (_channel is not null)
            await _channel.DisposeAsync();
        _channel = null;
    }

    private async Task CloseAsync()
    {
        await CloseChannelAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _gate.Dispose();
    }
}
