using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench.Fleet;

/// <summary>The configuration the fleet's processes get, as environment variables.</summary>
internal static class FleetEnvironment
{
    public const string SagaQueue = "workflow-executions";
    public static readonly string WorkerQueue = NodePools.QueueName(null);

    public static Dictionary<string, string?> Coordinator(ProcessFleetOptions options, string database)
    {
        var environment = Common(options, database);
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        return environment;
    }

    public static Dictionary<string, string?> Worker(ProcessFleetOptions options, string database) => Common(options, database);

    private static Dictionary<string, string?> Common(ProcessFleetOptions options, string database)
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            // A fleet of a build from before Serilog (--fleet-root) logs through Microsoft.Extensions.Logging.
            ["Logging__LogLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__Workflow.Messaging"] = "Warning",
            ["RabbitMq__Host"] = LocalServices.RabbitMqHost,
            ["RabbitMq__Port"] = LocalServices.RabbitMqPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq__VHost"] = options.VirtualHost,
            ["RabbitMq__User"] = LocalServices.RabbitMqUser,
            ["RabbitMq__Pass"] = LocalServices.RabbitMqPassword,
            ["Persistence__Provider"] = "Postgres",
            ["Persistence__ConnectionString"] = database,
            ["Persistence__Schema"] = "Migrate",
            ["Scheduler__Provider"] = "Postgres",
            ["Scheduler__ConnectionString"] = database,
            // The chaos run's side-effect recorder is an http node's target on loopback, which the
            // egress policy opens only on request.
            ["Nodes__Http__AllowLoopback"] = "true",
        };
        if (options.ReadsProgress || options.WatchHolds)
            environment["Coordinator__Progress"] = "Always";
        foreach (var (key, value) in options.Settings)
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return environment;
    }
}
