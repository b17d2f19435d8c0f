using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflow.Messaging.Engine.Executors;

public static class NodeExecutorServiceCollectionExtensions
{
    /// <summary>Adds a node type; a user's own host calls this for custom node types.</summary>
    public static IServiceCollection AddNodeExecutor<TExecutor>(this IServiceCollection services)
        where TExecutor : class, INodeExecutor
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INodeExecutor, TExecutor>());
        services.TryAddSingleton<NodeExecutorRegistry>();
        services.TryAddSingleton<INodeTypeCatalog>(sp => sp.GetRequiredService<NodeExecutorRegistry>());
        return services;
    }

    /// <summary>Adds a node type the coordinator holds itself (timer, approval).</summary>
    public static IServiceCollection AddHeldNodeType(this IServiceCollection services, NodeTypeDescriptor descriptor)
    {
        services.AddSingleton(descriptor);
        services.TryAddSingleton<NodeExecutorRegistry>();
        services.TryAddSingleton<INodeTypeCatalog>(sp => sp.GetRequiredService<NodeExecutorRegistry>());
        return services;
    }
}
