using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Workflow.Messaging.Deployment.Tests;

public sealed partial class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = DeploymentFiles.Documents("docker-compose.yml").Single();
    private static readonly YamlMappingNode Services = Compose.Map("services");

    [Theory]
    [InlineData("coordinator")]
    [InlineData("worker")]
    public void Every_environment_variable_of_a_host_reaches_an_option_it_binds(string service)
    {
        var environment = Services.Map(service).Map("environment");
        var host = HostConfiguration.ForService(service);

        var unbound = environment.Entries().Select(e => e.Key).Where(key => !host.Binds(key)).ToList();

        environment.Children.Should().NotBeEmpty();
        unbound.Should().BeEmpty($"the {service} host binds no such configuration key");
    }

    [Fact]
    public void Coordinator_and_worker_use_the_same_broker_credentials()
    {
        string? Setting(string service, string key) => Services.Map(service).Map("environment").Scalar(key);

        foreach (var key in new[] { "RabbitMq__Host", "RabbitMq__User", "RabbitMq__Pass" })
            Setting("worker", key).Should().Be(Setting("coordinator", key), key);
        Setting("coordinator", "RabbitMq__User").Should().Contain("${RABBITMQ_USER:-", "the broker user is a compose variable");
        Setting("coordinator", "RabbitMq__Pass").Should().Contain("${RABBITMQ_PASSWORD:-", "the broker password is a compose variable");
    }

    [Fact]
    public void Both_hosts_log_to_seq_and_export_traces_with_the_same_settings()
    {
        string? Setting(string service, string key) => Services.Map(service).Map("environment").Scalar(key);

        foreach (var key in new[] { "Seq__ServerUrl", "Seq__ApiKey", "Telemetry__OtlpEndpoint" })
        {
            Setting("coordinator", key).Should().NotBeNull(key);
            Setting("worker", key).Should().Be(Setting("coordinator", key), key);
        }
        Setting("coordinator", "Seq__ServerUrl").Should().Be("http://seq", "the seq service listens on port 80 inside the network");
        Setting("coordinator", "Seq__ApiKey").Should().Contain("${SEQ_API_KEY:-", "the key is a compose variable");
    }

    [Fact]
    public void Every_image_is_pinned_to_a_version()
    {
        var images = Services.Entries()
            .Where(s => s.Value.Child("build") is null)
            .Select(s => (s.Key, Image: s.Value.Scalar("image") ?? ""))
            .ToList();

        images.Should().NotBeEmpty();
        images.Should().AllSatisfy(s =>
        {
            s.Image.Should().MatchRegex(@":[\w.-]+$", $"{s.Key} names its image tag");
            s.Image.Should().NotEndWith(":latest", $"{s.Key} must not float");
        });
    }

    [Theory]
    [InlineData("rabbitmq")]
    [InlineData("postgres")]
    [InlineData("seq")]
    [InlineData("coordinator")]
    [InlineData("worker")]
    public void A_service_has_a_healthcheck(string service) =>
        Services.Map(service).Map("healthcheck").Child("test").Should().NotBeNull($"{service} needs a healthcheck command");

    [Fact]
    public void Dependencies_wait_for_a_healthy_service()
    {
        var dependencies = Services.Entries()
            .Where(s => s.Value.Child("depends_on") is not null)
            .SelectMany(s => s.Value.Map("depends_on").Entries().Select(d => (Service: s.Key, DependsOn: d.Key, Condition: d.Value.Scalar("condition"))))
            .ToList();

        dependencies.Should().Contain(d => d.Service == "coordinator" && d.DependsOn == "rabbitmq");
        dependencies.Should().Contain(d => d.Service == "worker" && d.DependsOn == "rabbitmq");
        dependencies.Should().AllSatisfy(d =>
        {
            d.Condition.Should().Be("service_healthy", $"{d.Service} must wait until {d.DependsOn} is healthy, not merely started");
            Services.Map(d.DependsOn).Child("healthcheck").Should().NotBeNull($"{d.DependsOn} is waited on, so it needs a healthcheck");
        });
    }

    [Fact]
    public void The_file_has_no_obsolete_version_key() => Compose.Child("version").Should().BeNull();

    [Fact]
    public void Every_variable_has_a_default_or_is_required_so_nothing_secret_lives_in_the_file()
    {
        var text = DeploymentFiles.Text("docker-compose.yml");
        var variables = Variable().Matches(text).Select(m => m.Value).ToList();

        variables.Should().NotBeEmpty();
        variables.Should().AllSatisfy(v => v.Should().Match(x => x.Contains(":-") || x.Contains(":?"), "every compose variable has a documented default or is required"));
    }

    [Fact]
    public void The_api_key_has_no_default_so_compose_refuses_to_start_without_one()
    {
        var key = Services.Map("coordinator").Map("environment").Scalar("Api__Keys__0");

        key.Should().StartWith("${API_KEY:?", "a missing key stops compose with this message instead of starting an API with a known key");
        DeploymentFiles.Text("docker-compose.yml").Should().NotContain("local-dev-key");
    }

    [Fact]
    public void Every_published_port_is_bound_to_loopback_unless_told_otherwise()
    {
        var published = Services.Entries()
            .Where(s => s.Value.Child("ports") is not null)
            .SelectMany(s => ((YamlSequenceNode)s.Value.Child("ports")!).Children.OfType<YamlScalarNode>().Select(p => (s.Key, Port: p.Value!)))
            .ToList();

        published.Should().NotBeEmpty();
        published.Should().AllSatisfy(p => p.Port.Should().StartWith("${PUBLISH_ADDRESS:-127.0.0.1}:", $"{p.Key} publishes only on this machine by default"));
    }

    [Fact]
    public void The_coordinator_listens_where_its_port_and_healthcheck_look()
    {
        var coordinator = Services.Map("coordinator");

        coordinator.Map("environment").Scalar("ASPNETCORE_URLS").Should().Be("http://+:8080");
        ((YamlSequenceNode)coordinator.Child("ports")!).Children.OfType<YamlScalarNode>().Should().ContainSingle(p => p.Value!.EndsWith(":8080"));
        coordinator.Map("healthcheck").Child("test")!.ToString().Should().Contain("/dev/tcp/127.0.0.1/8080").And.Contain("/health/live");
    }

    // ${NAME}, ${NAME:-default}; $${NAME} is an escaped literal for the container's shell.
    [GeneratedRegex(@"(?<!\$)\$\{[^}]+\}")]
    private static partial Regex Variable();
}
