using System.Net;
using System.Net.Sockets;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Integration.Tests.Infrastructure;

/// <summary>
/// A coordinator and two workers, each its own OS process, on a virtual host and a database created
/// for this run. Tests may kill or restart any of them; <see cref="EnsureRunning"/> brings the fleet back.
/// </summary>
public sealed class Fleet : IAsyncLifetime
{
    public const string SagaQueue = "workflow-executions";
    public static readonly string WorkerQueue = NodePools.QueueName(NodePools.Default);
    public static readonly string[] WorkerIds = ["worker-1", "worker-2"];

    /// <summary>A resource every coordinator of the fleet limits to one attempt at a time.</summary>
    public const string PaymentsResource = "payments";

    /// <summary>A pool no fleet worker consumes unless a test starts one for it; bounded at <see cref="BackloggedPoolBound"/> queued messages.</summary>
    public const string BackloggedPool = "backlog";
    public const int BackloggedPoolBound = 3;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _run = $"wf-it-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly Dictionary<string, HostProcess> _workers = [];
    private readonly List<HostProcess> _peerCoordinators = [];
    private readonly List<HostProcess> _poolWorkers = [];
    private readonly BrokerManagement _broker = new();
    private TestDatabase? _database;
    private HostProcess? _coordinator;
    private FleetObserver? _observer;

    public string VirtualHost => _run;
    internal BrokerManagement Broker => _broker;
    internal FleetObserver Observer => _observer ?? throw new InvalidOperationException("The fleet is not started.");
    public string LogDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "fleet-logs");

    public async Task InitializeAsync()
    {
        await _broker.CreateVirtualHost(_run);
        _database = await TestDatabase.Create(_run.Replace('-', '_'));
        _observer = await FleetObserver.Start(_run);
        await EnsureRunning();
    }

    /// <summary>Starts whichever host is not running and waits until every one consumes its queue.</summary>
    public async Task EnsureRunning()
    {
        if (_coordinator is null || _coordinator.HasExited)
            await StartCoordinator();
        foreach (var id in WorkerIds.Where(id => !_workers.TryGetValue(id, out var worker) || worker.HasExited))
            await StartWorker(id);

        await WaitForConsumers(SagaQueue, 1);
        await WaitForConsumers(WorkerQueue, WorkerIds.Length);
    }

    internal HostProcess Worker(string workerId) => _workers[workerId];

    public async Task KillWorker(string workerId) => await _workers[workerId].Kill();

    public async Task StopCoordinator()
    {
        await _coordinator!.Stop(TimeSpan.FromSeconds(30));
        await Eventually.Holds(async () => await BrokerManagement.Consumers(_run, SagaQueue) == 0, StartTimeout, "the stopped coordinator's consumer is gone");
    }

    public Task StartCoordinator()
    {
        _coordinator = StartCoordinatorProcess("coordinator");
        return WaitForConsumers(SagaQueue, 1);
    }

    /// <summary>
    /// A second coordinator on the same saga queue, database and clustered scheduler; the test that
    /// starts it kills or stops it, and the fleet disposes of it at the end in any case.
    /// </summary>
    internal async Task<HostProcess> StartPeerCoordinator()
    {
        var peer = StartCoordinatorProcess($"coordinator-{_peerCoordinators.Count + 2}");
        _peerCoordinators.Add(peer);
        await WaitForConsumers(SagaQueue, 2);
        return peer;
    }

    /// <summary>
    /// A coordinator with the saga queue split into <paramref name="partitions"/> partitions and a short
    /// partition lease; the test that starts it stops or kills it, and the fleet disposes of it in any case.
    /// All coordinators of a deployment need the same setting: stop the fleet's own one first.
    /// </summary>
    internal HostProcess StartPartitionedCoordinator(int partitions, TimeSpan lease)
    {
        var peer = StartCoordinatorProcess($"coordinator-{_peerCoordinators.Count + 2}", new Dictionary<string, string>
        {
            ["Coordinator__Partitions"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coordinator__PartitionLease"] = lease.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
        _peerCoordinators.Add(peer);
        return peer;
    }

    /// <summary>The partition leases: partition and holder (a coordinator's member id, with its process id), null when free.</summary>
    internal async Task<IReadOnlyDictionary<int, string?>> PartitionHolders()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT \"Partition\", \"Owner\" FROM workflow_partition_leases WHERE \"ExpiresAt\" > now() OR \"Owner\" IS NULL", connection);
        var holders = new Dictionary<int, string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            holders[reader.GetInt32(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        return holders;
    }

    internal Task WaitForSagaConsumers(string queue, int count) => WaitForConsumers(queue, count);

    private HostProcess StartCoordinatorProcess(string name, Dictionary<string, string>? extra = null) =>
        Start(name, HostBinaries.Coordinator, new Dictionary<string, string>(extra ?? [])
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}",
            ["Scheduler__Provider"] = "Postgres",
            ["Scheduler__ConnectionString"] = _database!.ConnectionString,
            ["Persistence__Provider"] = "Postgres",
            ["Persistence__ConnectionString"] = _database.ConnectionString,
            ["Persistence__Schema"] = "Migrate",
            // Short enough that a dispatch lost while the broker was away is redone within a test.
            ["Coordinator__LeaseGrace"] = "00:00:15",
            // ... and found within a second of its lease by the coordinators' sweep.
            ["Coordinator__LeaseSweepInterval"] = "00:00:01",
            // Nodes naming this resource run one at a time across the fleet (AdmissionFleetTests).
            [$"Admission__Resources__{PaymentsResource}__MaxConcurrent"] = "1",
            // New executions using this pool queue while its broker queue is deeper (AdmissionFleetTests).
            [$"Admission__Pools__{BackloggedPool}__MaxQueueDepth"] = BackloggedPoolBound.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Admission__PoolDepthInterval"] = "00:00:00.500",
            // The observer records progress events of every execution (CoordinatorRestartTests waits for one).
            ["Coordinator__Progress"] = "Always",
        });

    /// <summary>A worker of its own consuming only <paramref name="pool"/>; the test that starts it kills it, the fleet disposes of it in any case.</summary>
    internal async Task<HostProcess> StartPoolWorker(string pool)
    {
        var worker = Start($"worker-{pool}", HostBinaries.Worker, new Dictionary<string, string>
        {
            ["Worker__WorkerId"] = $"worker-{pool}",
            ["Worker__Pools__0"] = pool,
            ["Worker__HeartbeatInterval"] = "00:00:02",
            ["Worker__ShutdownGracePeriod"] = "00:00:05",
        });
        _poolWorkers.Add(worker);
        await WaitForConsumers(NodePools.QueueName(pool), 1);
        return worker;
    }

    /// <summary>The hosts' log tails, for a failure message.</summary>
    public string Logs() =>
        string.Join("\n", new[] { _coordinator }.Concat(_peerCoordinators).Concat(_workers.Values).Concat(_poolWorkers).OfType<HostProcess>()
            .Select(p => $"----- {p.Name} ({p.LogPath})\n{p.LogTail(15)}"));

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers.Values.Concat(_peerCoordinators).Concat(_poolWorkers))
            await worker.DisposeAsync();
        if (_coordinator is not null)
            await _coordinator.DisposeAsync();
        if (_observer is not null)
            await _observer.DisposeAsync();
        await _broker.DeleteVirtualHost(_run);
        if (_database is not null)
            await _database.DisposeAsync();
        _broker.Dispose();
    }

    private async Task StartWorker(string workerId)
    {
        if (_workers.TryGetValue(workerId, out var previous))
            await previous.DisposeAsync();
        _workers[workerId] = Start(workerId, HostBinaries.Worker, new Dictionary<string, string>
        {
            ["Worker__WorkerId"] = workerId,
            // One attempt at a time per worker, so parallel branches spread over the workers.
            ["Worker__ConcurrentMessageLimit"] = "1",
            ["Worker__PrefetchCount"] = "1",
            ["Worker__HeartbeatInterval"] = "00:00:02",
            ["Worker__ShutdownGracePeriod"] = "00:00:05",
        });
    }

    private HostProcess Start(string name, string dll, Dictionary<string, string> settings)
    {
        settings["DOTNET_ENVIRONMENT"] = "Production";
        settings["RabbitMq__Host"] = LocalServices.RabbitMqHost;
        settings["RabbitMq__Port"] = LocalServices.RabbitMqPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RabbitMq__VHost"] = _run;
        settings["RabbitMq__User"] = LocalServices.RabbitMqUser;
        settings["RabbitMq__Pass"] = LocalServices.RabbitMqPassword;
        return HostProcess.Start(name, dll, settings, Path.Combine(LogDirectory, _run));
    }

    private async Task WaitForConsumers(string queue, int count)
    {
        try
        {
            await Eventually.Holds(async () => await BrokerManagement.Consumers(_run, queue) >= count, StartTimeout, $"{queue} has {count} consumer(s)");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Logs()}", e);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
