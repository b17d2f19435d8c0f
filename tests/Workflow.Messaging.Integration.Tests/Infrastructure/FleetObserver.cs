using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Integration.Tests.Infrastructure;

/// <summary>
/// A bus of the test's own on the fleet's virtual host: it starts executions and records the events
/// the coordinator and workers publish, so tests wait on what happened instead of on time.
/// </summary>
internal sealed class FleetObserver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly Lock _gate = new();
    private readonly List<object> _events = [];
    private readonly List<(Func<object, bool> Matches, TaskCompletionSource<object> Found)> _waiters = [];

    private FleetObserver(string vhost)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(LocalServices.RabbitMqHost, LocalServices.RabbitMqPort, vhost, host =>
            {
                host.Username(LocalServices.RabbitMqUser);
                host.Password(LocalServices.RabbitMqPassword);
            });
            // As every publisher to the saga does (the hosts' ExecutionCorrelation): partitioned coordinators route on it.
            cfg.SendTopology.UseCorrelationId<StartWorkflow>(m => m.ExecutionId);
            // A durable queue, not a temporary one: a broker restart deletes temporary queues, and an
            // event published before the observer had declared its queue again was lost to the test
            // (an execution that succeeded looked stuck). The virtual host is the run's own and is
            // deleted with the fleet, so the queue goes with it.
            cfg.ReceiveEndpoint("fleet-observer", endpoint =>
            {
                Record<NodeStarted>(endpoint);
                Record<NodeSucceeded>(endpoint);
                Record<NodeFailed>(endpoint);
                Record<ExecutionProgressed>(endpoint);
                Record<ExecutionStarted>(endpoint);
                Record<ExecutionQueued>(endpoint);
                Record<ExecutionSucceeded>(endpoint);
                Record<ExecutionFailed>(endpoint);
            });
        });
    }

    public static async Task<FleetObserver> Start(string vhost)
    {
        var observer = new FleetObserver(vhost);
        await observer._bus.StartAsync();
        return observer;
    }

    public async Task<Guid> Start(WorkflowDefinition definition, object? input = null)
    {
        var executionId = NewId.NextGuid();
        await _bus.Publish(new StartWorkflow
        {
            ExecutionId = executionId, Definition = definition, RequestedBy = "integration test",
            Input = input is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(input),
        });
        return executionId;
    }

    public Task<T> WaitFor<T>(Func<T, bool> matches, TimeSpan timeout, string because) where T : class =>
        WaitForAny<T>(matches, timeout, because);

    /// <summary>The execution's end: ExecutionSucceeded, or a failure with its reason in the exception.</summary>
    public async Task<ExecutionSucceeded> Succeeded(Guid executionId, TimeSpan timeout)
    {
        var finished = await WaitForAny<object>(e => e is ExecutionSucceeded s && s.ExecutionId == executionId
            || e is ExecutionFailed f && f.ExecutionId == executionId, timeout, $"execution {executionId} finished");
        return finished as ExecutionSucceeded
            ?? throw new InvalidOperationException($"Execution {executionId} failed: {((ExecutionFailed)finished).Error.Message} at {((ExecutionFailed)finished).FailedNodeId}");
    }

    public IReadOnlyList<T> Recorded<T>(Func<T, bool> matches)
    {
        lock (_gate)
            return [.. _events.OfType<T>().Where(matches)];
    }

    public ValueTask DisposeAsync() => new(_bus.StopAsync());

    private async Task<T> WaitForAny<T>(Func<T, bool> matches, TimeSpan timeout, string because) where T : class
    {
        var found = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Matches(object e) => e is T typed && matches(typed);
        lock (_gate)
        {
            if (_events.FirstOrDefault(Matches) is { } already)
                return (T)already;
            _waiters.Add((Matches, found));
        }
        try
        {
            return (T)await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting until {because}.");
        }
        finally
        {
            lock (_gate)
                _waiters.RemoveAll(w => w.Found == found);
        }
    }

    private void Record<T>(IReceiveEndpointConfigurator endpoint) where T : class =>
        endpoint.Handler<T>(context =>
        {
            List<TaskCompletionSource<object>> matched;
            lock (_gate)
            {
                _events.Add(context.Message);
                matched = [.. _waiters.Where(w => w.Matches(context.Message)).Select(w => w.Found)];
            }
            foreach (var waiter in matched)
                waiter.TrySetResult(context.Message);
            return Task.CompletedTask;
        });
}
