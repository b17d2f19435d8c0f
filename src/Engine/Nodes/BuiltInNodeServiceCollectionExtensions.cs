using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes.Code;
using Workflow.Messaging.Engine.Nodes.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Engine.Nodes;

public static class BuiltInNodeServiceCollectionExtensions
{
    /// <summary>
    /// Adds every built-in node type, the options of the http and code nodes (sections
    /// <c>Nodes:Http</c>, <c>Nodes:Code</c>) and the http node's named client.
    /// </summary>
    public static IServiceCollection AddBuiltInNodes(this IServiceCollection services)
    {
        services.AddOptions<HttpNodeOptions>().BindConfiguration(HttpNodeOptions.SectionName);
        services.AddOptions<CodeNodeOptions>().BindConfiguration(CodeNodeOptions.SectionName);
        services.TryAddSingleton<ScriptThreads>();
        services.AddOptions<NodeOutputOptions>().BindConfiguration(NodeOutputOptions.SectionName);
        services.TryAddSingleton<NodeOutputLimit>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ScriptWarmUp>());
        services.AddHttpClient(HttpNodeOptions.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services => EgressConnector.CreateHandler(services.GetRequiredService<IOptionsMonitor<HttpNodeOptions>>()));

        services.AddNodeExecutor<NoopNode>()
            .AddNodeExecutor<SetNode>()
            .AddNodeExecutor<IfNode>()
            .AddNodeExecutor<SwitchNode>()
            .AddNodeExecutor<MergeNode>()
            .AddNodeExecutor<DelayNode>()
            .AddNodeExecutor<HttpNode>()
            .AddNodeExecutor<CodeNode>()
            .AddNodeExecutor<FailNode>();

        // Guarded because held types are plain descriptors, which TryAddEnumerable cannot deduplicate.
        if (!services.Any(d => d.ServiceType == typeof(NodeTypeDescriptor) && ReferenceEquals(d.ImplementationInstance, HeldNodeTypes.Wait)))
            services.AddHeldNodeType(HeldNodeTypes.Wait).AddHeldNodeType(HeldNodeTypes.Approval);
        return services;
    }
}
