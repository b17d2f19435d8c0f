using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Attempts;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.Coordinator.Leases;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Worker;

namespace Workflow.Messaging.Coordinator.Tests;

/// <summary>
/// The coordinator saga and real in-process workers on MassTransit's test harness. Completion is
/// awaited from saga state, never by sleeping.
/// </summary>
public sealed class ExecutionHarness : IAsyncDisposable
{
    // An upper bound for a loaded 2-core CI machine, not an expected duration: waits end as soon as the state is reached.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ServiceProvider _provider;

    private ExecutionHarness(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<WorkflowExecutionStateMachine, WorkflowExecutionState>();
    }

    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<WorkflowExecutionStateMachine, WorkflowExecutionState> Saga { get; }
    public WorkflowExecutionStateMachine Machine => Saga.StateMachine;
    public IServiceProvider Services => _provider;

    public static async Task<ExecutionHarness> StartAsync(Action<IServiceCollection>? configure = null, PersistenceOptions? persistence = null,
        Action<IBusRegistrationConfigurator>? bus = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        if (persistence is not null)
            services.AddCoordinatorPersistence(persistence);
        services.AddCoordinatorServices();
        services.AddSingleton<GateNodeControl>();
        services.AddNodeExecutor<GateNode>();
        services.Configure<WorkerOptions>(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(200));
        // Tests with short leases see them acted on promptly; a test may set its own.
        services.Configure<CoordinatorOptions>(o => o.LeaseSweepInterval = TimeSpan.FromMilliseconds(100));
        configure?.Invoke(services);
        services.AddMassTransitTestHarness(x =>
        {
            x.AddWorkflowExecutionSaga(persistence);
            x.AddAttemptTracking();
            x.AddAdmission();
            bus?.Invoke(x);
            x.AddEmbeddedFleet();
        });
        var provider = services.BuildServiceProvider(true);
        // The test harness runs no hosted services, so the schema step a host would take runs here.
        if (persistence is not null)
            await provider.InitializeCoordinatorSchemaAsync(persistence);
        var harness = new ExecutionHarness(provider);
        harness.Harness.TestTimeout = Patience;
        await harness.Harness.Start();
        // The hosted services a coordinator runs besides the bus (the admission sweep's tests call it themselves).
        await harness.Watchdog.StartAsync(CancellationToken.None);
        await harness.LeaseSweeper.StartAsync(CancellationToken.None);
        return harness;
    }

    public async Task<Guid> StartAsync(WorkflowDefinition definition, object? input = null)
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new StartWorkflow
        {
            ExecutionId = id,
            Definition = definition,
            Input = input is null ? null : JsonSerializer.SerializeToElement(input),
        });
        return id;
    }

    /// <summary>Waits until the execution is in <paramref name="state"/>; fails with its node states if it never gets there.</summary>
    public async Task<WorkflowExecutionState> WaitForAsync(Guid id, Func<WorkflowExecutionStateMachine, State> state)
    {
        var found = await Saga.Exists(id, state, Patience);
        var instance = Saga.Sagas.Contains(id);
        found.Should().NotBeNull($"execution should reach {state(Machine).Name}, but is {instance?.CurrentState} with nodes {Truncate(instance?.RuntimeJson)} and error {instance?.ErrorJson}");
        return instance!;
    }

    private static string? Truncate(string? text) => text is { Length: > 2000 } ? text[..2000] + "..." : text;

    public Task PublishAsync<T>(T message) where T : class => Harness.Bus.Publish(message);

    /// <summary>The saga row as the repository has it now (the harness's own copy may predate the last step's writes).</summary>
    public async Task<WorkflowExecutionState> LoadAsync(Guid id)
    {
        await using var scope = _provider.CreateAsyncScope();
        var saga = await scope.ServiceProvider.GetRequiredService<ILoadSagaRepository<WorkflowExecutionState>>().Load(id);
        saga.Should().NotBeNull();
        return saga!;
    }

    /// <summary>Messages of type <typeparamref name="T"/> sent until now, without waiting for more.</summary>
    public IReadOnlyList<T> SentSoFar<T>(Func<T, bool> filter) where T : class
    {
        using var now = new CancellationTokenSource();
        now.Cancel();
        return Harness.Sent.Select<T>(x => filter(x.Context.Message), now.Token).Select(x => x.Context.Message).ToList();
    }

    public async Task<JsonElement> OutputAsync(Guid id, string nodeId)
    {
        await using var scope = _provider.CreateAsyncScope();
        var outputs = await scope.ServiceProvider.GetRequiredService<IExecutionOutputStore>().LoadAsync(id, [nodeId], CancellationToken.None);
        outputs.Should().ContainKey(nodeId);
        return outputs[nodeId];
    }

    public GateNodeControl Gates => _provider.GetRequiredService<GateNodeControl>();

    public SilentAttemptWatchdog Watchdog => _provider.GetRequiredService<SilentAttemptWatchdog>();

    public LeaseSweeper LeaseSweeper => _provider.GetRequiredService<LeaseSweeper>();

    public async ValueTask DisposeAsync()
    {
        await LeaseSweeper.StopAsync(CancellationToken.None);
        await Watchdog.StopAsync(CancellationToken.None);
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
