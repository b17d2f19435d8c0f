using Workflow.Messaging.Contracts;
using YamlDotNet.RepresentationModel;

namespace Workflow.Messaging.Deployment.Tests;

public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<YamlMappingNode> Resources =
        [.. DeploymentFiles.KubernetesFiles().Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal)).SelectMany(DeploymentFiles.Documents)];

    private static YamlMappingNode Resource(string kind, string name) =>
        Resources.Single(r => r.Scalar("kind") == kind && r.Map("metadata").Scalar("name") == name);

    [Fact]
    public void Every_resource_lives_in_the_workflow_namespace()
    {
        Resources.Should().Contain(r => r.Scalar("kind") == "Namespace" && r.Map("metadata").Scalar("name") == "workflow");
        Resources.Where(r => r.Scalar("kind") != "Namespace")
            .Should().AllSatisfy(r => r.Map("metadata").Scalar("namespace").Should().Be("workflow"));
    }

    [Theory]
    [InlineData("ConfigMap", "workflow-config")]
    [InlineData("Secret", "workflow-secrets")]
    public void Settings_given_to_both_hosts_are_keys_they_bind(string kind, string name)
    {
        var resource = Resource(kind, name);
        var keys = (resource.Child("data") ?? resource.Child("stringData")) is YamlMappingNode data ? data.Entries().Select(e => e.Key).ToList() : [];

        keys.Should().NotBeEmpty();
        keys.Where(k => !HostConfiguration.Worker.Binds(k) && !HostConfiguration.Coordinator.Binds(k)).Should().BeEmpty();
        // Both deployments load the whole ConfigMap and Secret: a coordinator-only key is harmless to a worker, an unknown one is not caught.
    }

    [Fact]
    public void Both_hosts_get_the_seq_url_from_the_config_map_and_its_key_from_the_secret()
    {
        Resource("ConfigMap", "workflow-config").Map("data").Scalar("Seq__ServerUrl").Should().StartWith("http://seq.");
        Resource("Secret", "workflow-secrets").Map("stringData").Scalar("Seq__ApiKey").Should().NotBeNull();
    }

    [Theory]
    [InlineData("coordinator")]
    [InlineData("worker")]
    public void A_deployment_loads_the_shared_settings_and_its_own_variables_are_bound(string name)
    {
        var container = (YamlMappingNode)((YamlSequenceNode)Resource("Deployment", name).Map("spec").Map("template").Map("spec").Child("containers")!).Children.Single();
        var sources = ((YamlSequenceNode)container.Child("envFrom")!).Children.Select(s => s.ToString()).ToList();
        var variables = container.Child("env") is YamlSequenceNode env ? env.Children.Select(v => v.Scalar("name")!).ToList() : [];

        sources.Should().Contain(s => s.Contains("workflow-config")).And.Contain(s => s.Contains("workflow-secrets"));
        variables.Should().AllSatisfy(v => HostConfiguration.ForService(name).Binds(v).Should().BeTrue(v));
    }

    [Fact]
    public void Workers_scale_on_the_depth_of_the_default_pool_queue()
    {
        var spec = Resource("ScaledObject", "worker-default-pool").Map("spec");
        var trigger = ((YamlSequenceNode)spec.Child("triggers")!).Children.Single();

        spec.Map("scaleTargetRef").Scalar("name").Should().Be("worker");
        trigger.Scalar("type").Should().Be("rabbitmq");
        trigger.Map("metadata").Scalar("queueName").Should().Be(NodePools.QueueName(NodePools.Default));
        trigger.Map("metadata").Scalar("mode").Should().Be("QueueLength");
        Resource("TriggerAuthentication", trigger.Map("authenticationRef").Scalar("name")!).Should().NotBeNull();
    }
}
