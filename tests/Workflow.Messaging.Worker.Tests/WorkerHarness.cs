using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Worker.Tests;

/// <summary>A worker on MassTransit's in-memory test harness, wired exactly as an embedding host wires it.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);
    private readonly ServiceProvider _provider;

    private WorkerHarness(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }

    public IServiceProvider Services => _provider;

    public static async Task<WorkerHarness> Start(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        Action<IInMemoryBusFactoryConfigurator>? bus = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:WorkerId"] = "test-worker" })
            .AddInMemoryCollection(settings ?? [])
            .Build());
        collection.AddLogging();
        services?.Invoke(collection);
        collection.AddMassTransitTestHarness(x =>
        {
            x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(30));
            x.AddWorkerConsumers();
            x.UsingInMemory((context, cfg) =>
            {
                bus?.Invoke(cfg);
                cfg.ConfigureWorkerEndpoints(context);
            });
        });
        var harness = new WorkerHarness(collection.BuildServiceProvider(true));
        await harness.Harness.Start();
        return harness;
    }

    public static ExecuteNode Node(string type, string parameters = "{}", string input = "{}", TimeSpan? timeout = null)
    {
        var executionId = Guid.NewGuid();
        return new ExecuteNode
        {
            ExecutionId = executionId,
            WorkflowId = "wf",
            NodeId = "n1",
            NodeType = type,
            Attempt = 1,
            Parameters = JsonDocument.Parse(parameters).RootElement.Clone(),
            Input = JsonDocument.Parse(input).RootElement.Clone(),
            IdempotencyKey = $"{executionId:N}:n1:1",
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            DispatchedAt = DateTime.UtcNow,
        };
    }

    public async Task Send(ExecuteNode message, string pool = WorkerEndpoints.DefaultPool)
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(WorkerEndpoints.Address(pool));
        await endpoint.Send(message);
    }

    /// <summary>Waits until a message of the type for the execution was published, and returns it.</summary>
    public async Task<T> Published<T>(Guid executionId) where T : class
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        await foreach (var published in Harness.Published.SelectAsync<T>(m => ExecutionIdOf(m.Context.Message) == executionId, timeout.Token))
            return published.Context.Message;
        throw new TimeoutException($"No {typeof(T).Name} for execution {executionId} within {WaitLimit}.");
    }

    /// <summary>
    /// What was published until now, without waiting: the harness's Select otherwise waits for
    /// more until the bus is idle, which a stopped bus never reports.
    /// </summary>
    public IReadOnlyList<T> PublishedSoFar<T>(Guid executionId) where T : class =>
        [.. Harness.Published.Select<T>(m => ExecutionIdOf(m.Context.Message) == executionId, new CancellationToken(canceled: true)).Select(m => m.Context.Message)];

    private static Guid ExecutionIdOf(object message) => message switch
    {
        NodeStarted m => m.ExecutionId,
        NodeSucceeded m => m.ExecutionId,
        NodeFailed m => m.ExecutionId,
        NodeHeartbeat m => m.ExecutionId,
        CancelRunningNodes m => m.ExecutionId,
        _ => Guid.Empty,
    };

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
