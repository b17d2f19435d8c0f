namespace Workflow.Messaging.Bench.Chaos;

/// <summary>What a chaos run does and how long it may take.</summary>
internal sealed record ChaosPlan
{
    public int Executions { get; init; } = 1000;
    public int Concurrency { get; init; } = 50;
    public int Workers { get; init; } = 2;

    /// <summary>Starts are spread over this time and every fault happens within it.</summary>
    public TimeSpan LoadDuration { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>After the load: how long the fleet gets to finish every execution.</summary>
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>A random worker is SIGKILLed and replaced this often; null for no worker kills.</summary>
    public TimeSpan? WorkerKillInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Cap on worker kills (the CI run kills one).</summary>
    public int MaxWorkerKills { get; init; } = int.MaxValue;

    public int CoordinatorKills { get; init; } = 2;
    public bool RestartRabbitMq { get; init; } = true;
    public bool RestartPostgres { get; init; } = true;

    /// <summary>
    /// Times the broker closes every connection of the run's virtual host, a few seconds apart
    /// (what a network blip or a load balancer does). Publishes in flight lose their confirms,
    /// which once wedged the fleet for good.
    /// </summary>
    public int ConnectionDrops { get; init; } = 8;

    public string VirtualHost { get; init; } = "workflow-chaos";
    public string Database { get; init; } = "workflow_chaos";

    /// <summary>The smaller run for CI: one fault of each kind.</summary>
    public static ChaosPlan Small => new()
    {
        Executions = 100,
        Concurrency = 20,
        LoadDuration = TimeSpan.FromSeconds(50),
        DrainLimit = TimeSpan.FromSeconds(90),
        WorkerKillInterval = TimeSpan.FromSeconds(8),
        MaxWorkerKills = 1,
        CoordinatorKills = 1,
        ConnectionDrops = 4,
    };
}
