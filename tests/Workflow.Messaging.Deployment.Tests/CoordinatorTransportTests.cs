using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.Scheduling;
using Workflow.Messaging.Worker;

namespace Workflow.Messaging.Deployment.Tests;

/// <summary>The Coordinator's transport follows its configuration alone; building the bus does not connect.</summary>
public sealed class CoordinatorTransportTests
{
    [Fact]
    public async Task Without_a_broker_host_the_coordinator_runs_the_embedded_fleet()
    {
        using var app = Build([]);

        app.Services.GetRequiredService<IBus>().Address.Scheme.Should().Be("loopback");
        HostsWorkers(app).Should().BeTrue();
    }

    [Fact]
    public async Task With_a_broker_host_the_coordinator_uses_RabbitMQ_and_the_Quartz_scheduler_without_workers()
    {
        using var app = Build(new() { ["RabbitMq:Host"] = "broker.example", ["RabbitMq:VHost"] = "fleet" });

        var address = app.Services.GetRequiredService<IBus>().Address;
        address.Scheme.Should().Be("rabbitmq");
        address.Host.Should().Be("broker.example");
        address.AbsolutePath.Should().StartWith("/fleet/");
        HostsWorkers(app).Should().BeFalse();
        app.Services.GetRequiredService<SchedulerOptions>().Provider.Should().Be(SchedulerStoreProvider.Memory, "no Scheduler section was given");
    }

    [Fact]
    public async Task On_RabbitMQ_embedded_workers_and_a_PostgreSQL_job_store_are_opt_in()
    {
        using var app = Build(new()
        {
            ["RabbitMq:Host"] = "broker.example",
            ["Coordinator:EmbeddedWorkers"] = "true",
            ["Scheduler:Provider"] = "Postgres",
            ["Scheduler:ConnectionString"] = "Host=db.example;Database=workflow",
        });

        HostsWorkers(app).Should().BeTrue();
        app.Services.GetRequiredService<SchedulerOptions>().Provider.Should().Be(SchedulerStoreProvider.Postgres);
    }

    [Fact]
    public async Task Neither_host_reports_usage_to_MassTransit_by_default()
    {
        using var coordinator = Build(new() { ["RabbitMq:Host"] = "broker.example" });
        var workerBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        workerBuilder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RabbitMq:Host"] = "broker.example" });
        workerBuilder.AddWorker();
        using var worker = workerBuilder.Build();

        foreach (var host in new[] { coordinator, worker })
            host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled.Should().BeFalse();
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Persistence:Provider"] = "Memory" });
        builder.AddCoordinator();
        return builder.Build();
    }

    private static bool HostsWorkers(IHost app) =>
        app.Services.GetService<ExecuteNodeConsumer>() is not null;
}
