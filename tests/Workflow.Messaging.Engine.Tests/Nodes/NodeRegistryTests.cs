using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes;
using Workflow.Messaging.Engine.Nodes.Http;

namespace Workflow.Messaging.Engine.Tests.Nodes;

public class NodeRegistryTests
{
    [Fact]
    public void AddBuiltInNodes_registers_every_built_in_type_with_its_placement()
    {
        using var provider = BuildProvider(services => services.AddBuiltInNodes().AddBuiltInNodes());

        var registry = provider.GetRequiredService<NodeExecutorRegistry>();

        registry.All.ToDictionary(d => d.Type, d => d.Placement).Should().Equal(new Dictionary<string, NodePlacement>
        {
            ["noop"] = NodePlacement.Inline, ["set"] = NodePlacement.Inline, ["if"] = NodePlacement.Inline,
            ["switch"] = NodePlacement.Inline, ["merge"] = NodePlacement.Inline, ["delay"] = NodePlacement.Worker,
            ["http"] = NodePlacement.Worker, ["code"] = NodePlacement.Worker, ["fail"] = NodePlacement.Worker,
            ["wait"] = NodePlacement.Timer, ["approval"] = NodePlacement.Approval,
        });
        registry.TryGetExecutor("wait", out _).Should().BeFalse();
        registry.TryGetExecutor("http", out _).Should().BeTrue();
    }

    [Fact]
    public void Registry_rejects_a_type_registered_twice()
    {
        var act = () => new NodeExecutorRegistry([new NoopNode()], [HeldNodeTypes.Wait, HeldNodeTypes.Wait with { }]);

        act.Should().Throw<InvalidOperationException>().WithMessage("*'wait'*registered twice*");
    }

    [Fact]
    public void Registry_rejects_a_descriptor_without_ports()
    {
        var act = () => new NodeExecutorRegistry([], [HeldNodeTypes.Approval with { Type = "vote", Ports = [] }]);

        act.Should().Throw<InvalidOperationException>().WithMessage("*'vote'*no output port*");
    }

    [Fact]
    public void Http_options_bind_the_allowed_hosts_from_configuration()
    {
        using var provider = BuildProvider(services => services.AddBuiltInNodes(), new()
        {
            ["Nodes:Http:AllowedHosts:0"] = "api.example.com",
            ["Nodes:Http:AllowedHosts:1"] = "*.internal",
        });

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HttpNodeOptions>>().Value;

        options.AllowedHosts.Should().Equal("api.example.com", "*.internal");
    }

    internal static ServiceProvider BuildProvider(Action<IServiceCollection> configure, Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        configure(services);
        return services.BuildServiceProvider();
    }
}
