using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Workflow.Messaging.Persistence.Tests.Infrastructure;

/// <summary>
/// A loopback port in front of the real PostgreSQL that plays a database still starting up: the first
/// <c>refuse</c> connections are accepted and closed at once (what a client sees of a server that is
/// restarting), every later one is forwarded byte for byte.
/// </summary>
public sealed class PostgresGate : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly NpgsqlConnectionStringBuilder _target = new(LocalServices.Postgres);
    private readonly Task _accepting;
    private int _refuse;

    public PostgresGate(int refuse)
    {
        _refuse = refuse;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Refused { get; private set; }

    /// <summary>The real connection string with this gate's port.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(LocalServices.Postgres)
    {
        Host = "127.0.0.1", Port = ((IPEndPoint)_listener.LocalEndpoint).Port, Pooling = false,
    }.ConnectionString;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (Interlocked.Decrement(ref _refuse) >= 0)
            {
                Refused++;
                client.Dispose();
                continue;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target.Host!, _target.Port, _stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
                // One side went away: the other is closed with it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
