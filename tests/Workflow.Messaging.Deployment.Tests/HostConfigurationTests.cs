namespace Workflow.Messaging.Deployment.Tests;

/// <summary>The key checker itself must reject what a host ignores, or the file tests prove nothing.</summary>
public sealed class HostConfigurationTests
{
    [Theory]
    [InlineData("RabbitMq__Host")]
    [InlineData("rabbitmq__vhost")]
    [InlineData("Worker__Pools__0")]
    [InlineData("Worker__ShutdownGracePeriod")]
    [InlineData("Nodes__Http__AllowedHosts__1")]
    public void A_key_of_a_bound_option_is_accepted(string key) => HostConfiguration.Worker.Binds(key).Should().BeTrue();

    [Theory]
    [InlineData("RabbitMq__Hostname")]
    [InlineData("RabbitMQ_HOST")]
    [InlineData("Worker__Pools__first")]
    [InlineData("Scheduler__ConnectionString")]
    [InlineData("ConnectionStrings__Workflow")]
    public void A_key_the_worker_never_reads_is_rejected(string key) => HostConfiguration.Worker.Binds(key).Should().BeFalse();

    [Theory]
    [InlineData("Scheduler__ConnectionString", true)]
    [InlineData("Scheduler__EndpointAddress", false)]
    [InlineData("Coordinator__EmbeddedWorkers", true)]
    [InlineData("ASPNETCORE_URLS", true)]
    public void The_coordinator_accepts_only_settable_options(string key, bool bound) => HostConfiguration.Coordinator.Binds(key).Should().Be(bound);
}
