using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes;

namespace Workflow.Messaging.Engine.Tests.Validation;

/// <summary>
/// The real built-in node types, so validation is tested against what the engine registers and
/// the two can never drift apart.
/// </summary>
internal static class TestNodeTypeCatalog
{
    public static INodeTypeCatalog Instance { get; } = new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
        .AddLogging()
        .AddBuiltInNodes()
        .BuildServiceProvider()
        .GetRequiredService<INodeTypeCatalog>();
}
