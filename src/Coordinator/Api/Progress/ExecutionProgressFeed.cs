using MassTransit;

namespace Workflow.Messaging.Coordinator.Api.Progress;

/// <summary>
/// This instance's receive endpoint for execution events, bound only while someone watches here.
/// Every coordinator hearing every execution's events would cost each of them a consume per saga
/// step, and with several coordinators each step would be consumed once per coordinator; almost
/// always nobody watches. The endpoint is a temporary queue: bound on the first watcher, removed a
/// linger after the last one leaves, so a page that reconnects does not rebind each time.
/// </summary>
public sealed class ExecutionProgressFeed(IReceiveEndpointConnector connector, ILogger<ExecutionProgressFeed> logger) : IAsyncDisposable
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HostReceiveEndpointHandle? _endpoint;
    private int _watchers;
    private long _generation;

    /// <summary>Counts a watcher and completes once events of every execution reach the hub.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _watchers);
        Interlocked.Increment(ref _generation);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_endpoint is null)
            {
                var endpoint = connector.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("execution-progress"), KebabCaseEndpointNameFormatter.Instance,
                    (context, cfg) => cfg.ConfigureConsumer<ExecutionProgressConsumer>(context));
                try
                {
                    await endpoint.Ready.WaitAsync(cancellationToken);
                }
                catch
                {
                    await endpoint.StopAsync(CancellationToken.None);
                    throw;
                }
                _endpoint = endpoint;
                logger.LogDebug("Execution progress endpoint bound");
            }
        }
        catch
        {
            Interlocked.Decrement(ref _watchers);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A watcher left; the endpoint goes when nobody has watched for the linger.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _watchers) > 0)
            return;
        var generation = Interlocked.Read(ref _generation);
        _ = Task.Delay(Linger).ContinueWith(_ => UnbindIfIdleAsync(generation), TaskScheduler.Default).Unwrap();
    }

    private async Task UnbindIfIdleAsync(long generation)
    {
        await _gate.WaitAsync();
        try
        {
            // A watcher that came and went during the linger started a new one.
            if (Volatile.Read(ref _watchers) > 0 || Interlocked.Read(ref _generation) != generation || _endpoint is null)
                return;
            await _endpoint.StopAsync(CancellationToken.None);
            _endpoint = null;
            logger.LogDebug("Execution progress endpoint unbound: nobody watches");
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not unbind the execution progress endpoint");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
            await _endpoint.StopAsync(CancellationToken.None);
        _gate.Dispose();
    }
}
