using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Workflow.Messaging.Bench.Measurement;
using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Bench.Fleet;

/// <summary>
/// The real fleet: a Coordinator process and W Worker processes (their Release build output) on
/// RabbitMQ and PostgreSQL, each in a virtual host and database of its own that are recreated
/// empty at start. The bench talks to it over its own RabbitMQ bus.
/// </summary>
internal sealed class ProcessFleet : IBenchFleet
{
    private readonly ProcessFleetOptions _options;
    private readonly List<FleetProcess> _workers = [];
    private readonly List<FleetProcess> _peerCoordinators = [];
    private readonly RabbitManagement _management = new();
    private readonly NpgsqlDataSource _statistics;
    private readonly string _logDirectory;
    private ServiceProvider? _benchBus;
    private BrokerPublishCounter? _published;
    private FleetProcess? _coordinator;

    // The fault injector and the restart policy both replace processes.
    private readonly Lock _processes = new();
    private readonly CancellationTokenSource _stopSupervising = new();
    private Task? _supervisor;

    private ProcessFleet(ProcessFleetOptions options)
    {
        _options = options;
        _statistics = NpgsqlDataSource.Create(LocalServices.Postgres);
        _logDirectory = Path.Combine(RepositoryPaths.Root, "artifacts", "bench-logs");
    }

    public string Mode => "fleet";
    public IBus Bus => _benchBus?.GetRequiredService<IBus>() ?? throw new InvalidOperationException("The fleet is not started.");
    public ProcessProbe Coordinator => _coordinator?.Probe ?? ProcessProbe.Self("none");
    public IReadOnlyList<ProcessProbe> Coordinators => [Coordinator, .. _peerCoordinators.Select(c => c.Probe)];
    public IReadOnlyList<ProcessProbe> Workers => _workers.Select(w => w.Probe).ToList();
    public FleetProcess? CoordinatorProcess => _coordinator;
    public IReadOnlyList<FleetProcess> WorkerProcesses => _workers;
    public ProcessFleetOptions Options => _options;
    public RabbitManagement Management => _management;

    public string DatabaseConnectionString => new NpgsqlConnectionStringBuilder(LocalServices.Postgres) { Database = _options.Database }.ConnectionString;

    public static async Task<ProcessFleet> StartAsync(ProcessFleetOptions options, BenchProbes probes, TextWriter log, CancellationToken cancellation)
    {
        var fleet = new ProcessFleet(options);
        try
        {
            await fleet.ResetServicesAsync(cancellation);
            fleet._published = new BrokerPublishCounter(fleet._management, options.VirtualHost);
            fleet._benchBus = await StartBenchBusAsync(options, probes, cancellation);
            fleet.StartCoordinator();
            await fleet.WaitForCoordinatorAsync(cancellation);
            // Peers start once the first has migrated the schema; each then binds the saga queue.
            for (var i = 1; i < options.Coordinators; i++)
                fleet._peerCoordinators.Add(fleet.StartCoordinatorProcess($"coordinator{i + 1}"));
            await fleet.WaitForConsumersAsync(FleetEnvironment.SagaQueue, options.Coordinators, TimeSpan.FromSeconds(90), cancellation);
            for (var i = 0; i < options.Workers; i++)
                fleet.StartWorker();
            await fleet.WaitForWorkersAsync(options.Workers, cancellation);
            log.WriteLine($"fleet: coordinator pid {string.Join(", ", fleet._peerCoordinators.Prepend(fleet._coordinator!).Select(c => c.Pid))}, workers {string.Join(", ", fleet._workers.Select(w => w.Pid))}; logs in {fleet._logDirectory}");
            fleet._supervisor = fleet.SuperviseAsync(log);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    public FleetProcess StartCoordinator()
    {
        lock (_processes)
            return _coordinator = StartCoordinatorProcess("coordinator");
    }

    private FleetProcess StartCoordinatorProcess(string role) =>
        FleetProcess.Start(role, RepositoryPaths.CoordinatorAssembly, FleetEnvironment.Coordinator(_options, DatabaseConnectionString), _logDirectory);

    public FleetProcess StartWorker()
    {
        lock (_processes)
        {
            var worker = FleetProcess.Start($"worker{_workers.Count + 1}", RepositoryPaths.WorkerAssembly, FleetEnvironment.Worker(_options, DatabaseConnectionString), _logDirectory);
            _workers.Add(worker);
            return worker;
        }
    }

    public void Forget(FleetProcess worker)
    {
        lock (_processes)
            _workers.Remove(worker);
        worker.Dispose();
    }

    /// <summary>Processes that exited by themselves and were started again (see <see cref="SuperviseAsync"/>).</summary>
    public int RestartsAfterExit { get; private set; }

    /// <summary>
    /// The restart policy a production supervisor has (compose's <c>restart: unless-stopped</c>, a
    /// Kubernetes pod): a host that gives up exits with code 75 (a start past its deadline, endpoints
    /// dead after a bus restart) and expects to be started again. Without this a fleet of the bench
    /// would run on without it, and every execution it drove would wait for a lease.
    /// </summary>
    private async Task SuperviseAsync(TextWriter log)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopSupervising.Token))
                foreach (var restart in RestartExited())
                    log.WriteLine($"fleet: {restart}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private List<string> RestartExited()
    {
        var restarts = new List<string>();
        lock (_processes)
        {
            string Replace(FleetProcess exited, Func<FleetProcess> start)
            {
                var (pid, code) = (exited.Pid, exited.ExitCode);
                exited.Dispose();
                RestartsAfterExit++;
                return $"{exited.Role} pid {pid} exited by itself (exit code {code}); started pid {start().Pid}, as a supervisor's restart policy would";
            }
            if (_coordinator is { ExitedByItself: true } coordinator)
                restarts.Add(Replace(coordinator, StartCoordinator));
            for (var i = 0; i < _peerCoordinators.Count; i++)
                if (_peerCoordinators[i] is { ExitedByItself: true } peer)
                    restarts.Add(Replace(peer, () => _peerCoordinators[i] = StartCoordinatorProcess(peer.Role)));
            foreach (var worker in _workers.Where(w => w.ExitedByItself).ToList())
            {
                _workers.Remove(worker);
                restarts.Add(Replace(worker, StartWorker));
            }
        }
        return restarts;
    }

    /// <summary>The coordinator is ready when its saga queue has a consumer.</summary>
    public Task WaitForCoordinatorAsync(CancellationToken cancellation) =>
        WaitForConsumersAsync(FleetEnvironment.SagaQueue, 1, TimeSpan.FromSeconds(90), cancellation);

    public Task WaitForWorkersAsync(int count, CancellationToken cancellation) =>
        WaitForConsumersAsync(FleetEnvironment.WorkerQueue, count, TimeSpan.FromSeconds(90), cancellation);

    private async Task WaitForConsumersAsync(string queue, int count, TimeSpan limit, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(limit);
        try
        {
            while (await _management.ConsumersAsync(_options.VirtualHost, queue, deadline.Token) < count)
            {
                // Before the restart policy runs, an exit during start fails the fleet's start.
                if (_supervisor is null && _coordinator?.HasExited == true)
                    throw new InvalidOperationException($"The coordinator exited during start; its log {_coordinator.LogPath} ends with:\n{_coordinator.Tail(30)}");
                await Task.Delay(250, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"Queue {queue} did not get {count} consumer(s) within {limit}; see the logs in {_logDirectory}.");
        }
    }

    public async Task<long?> CommittedTransactionsAsync(CancellationToken cancellation)
    {
        // A backend reports its counters at most once a second while busy and within ten seconds
        // of going idle: the count is final once it has not moved for longer than that. An idle
        // fleet still commits now and then (the bus outbox poll, inbox cleanup); a step of one is
        // that, not the run settling.
        var stableFor = TimeSpan.FromSeconds(11);
        var settled = System.Diagnostics.Stopwatch.StartNew();
        long? previous = null;
        for (var polls = 0; polls < 40; polls++)
        {
            await using var command = _statistics.CreateCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = _options.Database });
            var current = await command.ExecuteScalarAsync(cancellation) is long value ? value : 0;
            if (previous is null || current - previous > 1)
                settled.Restart();
            else if (settled.Elapsed >= stableFor)
                return current;
            previous = current;
            await Task.Delay(1000, cancellation);
        }
        return previous;
    }

    /// <summary>Read after <see cref="CommittedTransactionsAsync"/>, whose settling also outlasts the broker's 5-second statistics interval.</summary>
    public Task<long?> PublishedMessagesAsync(CancellationToken cancellation) => Task.FromResult<long?>(_published?.Published);

    private async Task ResetServicesAsync(CancellationToken cancellation)
    {
        await _management.RecreateVirtualHostAsync(_options.VirtualHost, cancellation);
        await using var connection = await _statistics.OpenConnectionAsync(cancellation);
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_options.Database}\" WITH (FORCE)", connection))
            await drop.ExecuteNonQueryAsync(cancellation);
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{_options.Database}\"", connection))
            await create.ExecuteNonQueryAsync(cancellation);
    }

    private static async Task<ServiceProvider> StartBenchBusAsync(ProcessFleetOptions options, BenchProbes probes, CancellationToken cancellation)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(probes.Tracker);
        services.AddSingleton(probes.Dispatch);
        services.AddSingleton(probes.Holds);
        services.AddMassTransit(x =>
        {
            x.AddConsumer<FinishedWatcher>();
            if (options.WatchDispatch)
                x.AddConsumer<DispatchWatcher>();
            if (options.WatchHolds)
                x.AddConsumer<HoldWatcher>();
            options.ConfigureBus?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(LocalServices.RabbitMqHost, LocalServices.RabbitMqPort, options.VirtualHost, h =>
                {
                    h.Username(LocalServices.RabbitMqUser);
                    h.Password(LocalServices.RabbitMqPassword);
                });
                cfg.UseExecutionCorrelation();
                cfg.ReceiveEndpoint("bench-watcher", e =>
                {
                    e.PrefetchCount = 256;
                    e.ConcurrentMessageLimit = 32;
                    e.ConfigureConsumers(context);
                });
            });
        });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IBusControl>().StartAsync(cancellation);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopSupervising.CancelAsync();
        if (_supervisor is not null)
            await _supervisor;
        // Processes first: whatever else fails, no process of the bench outlives it.
        var processes = _workers.Concat(_peerCoordinators).Append(_coordinator).OfType<FleetProcess>().ToList();
        await Task.WhenAll(processes.Select(p => p.StopAsync(TimeSpan.FromSeconds(10))));
        foreach (var process in processes)
            process.Dispose();
        if (_published is not null)
            await _published.DisposeAsync();
        if (_benchBus is not null)
        {
            await _benchBus.GetRequiredService<IBusControl>().StopAsync(CancellationToken.None);
            await _benchBus.DisposeAsync();
        }
        await _statistics.DisposeAsync();
        _management.Dispose();
    }
}
