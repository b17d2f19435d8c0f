using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Messaging.Scheduling.Tests;

public sealed class SchedulerRegistrationTests
{
    [Fact]
    public void When_registered_from_configuration_then_the_scheduler_section_is_bound()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Scheduler:Provider"] = "sqlite",
                ["Scheduler:ConnectionString"] = "Data Source=scheduler.db",
                ["Scheduler:InstanceName"] = "embedded",
                ["Scheduler:EndpointName"] = "embedded-scheduler",
            })
            .Build();
        var services = new ServiceCollection();

        services.AddMassTransit(x => x.AddWorkflowQuartzScheduler(configuration));

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<SchedulerOptions>();
        options.Provider.Should().Be(SchedulerStoreProvider.Sqlite);
        options.ConnectionString.Should().Be("Data Source=scheduler.db");
        options.IsClustered.Should().BeFalse("an embedded SQLite store is single-node unless told otherwise");
        options.InstanceName.Should().Be("embedded");
        options.EndpointAddress.Should().Be(new Uri("queue:embedded-scheduler"));
    }

    [Fact]
    public void When_no_clustering_is_configured_then_a_postgres_store_is_clustered()
    {
        var options = new SchedulerOptions { Provider = SchedulerStoreProvider.Postgres };

        options.IsClustered.Should().BeTrue();
    }
}
