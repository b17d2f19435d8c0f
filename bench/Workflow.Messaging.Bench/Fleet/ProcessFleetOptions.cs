namespace Workflow.Messaging.Bench.Fleet;

internal sealed record ProcessFleetOptions
{
    /// <summary>RabbitMQ virtual host of this fleet; recreated empty at start.</summary>
    public required string VirtualHost { get; init; }

    /// <summary>PostgreSQL database of this fleet; recreated empty at start.</summary>
    public string Database { get; init; } = "workflow_bench";

    public required int Workers { get; init; }

    /// <summary>Coordinator processes; more than one share the saga queue and the clustered scheduler.</summary>
    public int Coordinators { get; init; } = 1;

    /// <summary>Extra configuration for the coordinator and worker processes (Section:Key = value).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public bool WatchHolds { get; init; }

    /// <summary>
    /// The bench reads ExecutionProgressed itself (the chaos run's ledger, the hold watcher): the
    /// coordinator then publishes it on every step (Coordinator:Progress=Always), not only for
    /// executions an event stream watches.
    /// </summary>
    public bool ReadsProgress { get; init; }

    /// <summary>The bench's watcher sees every node result too, to measure queue wait (one more delivery per node).</summary>
    public bool WatchDispatch { get; init; }

    /// <summary>Further services and consumers of the bench's own bus (the chaos run's ledgers).</summary>
    public Action<MassTransit.IBusRegistrationConfigurator>? ConfigureBus { get; init; }
}
