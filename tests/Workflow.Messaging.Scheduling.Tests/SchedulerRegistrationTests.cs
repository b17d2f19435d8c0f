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
                ["Scheduler:Clustered"] = "false",
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
        options.Clustered.Should().BeFalse();
        options.InstanceName.Should().Be("embedded");
        options.EndpointAddress.Should().Be(new Uri("queue:embedded-scheduler"));
    }
}
