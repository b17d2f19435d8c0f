using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes;

namespace Workflow.Messaging.Security.Tests.Http;

/// <summary>The http node as the hosts register it (<c>AddBuiltInNodes</c>), with the given settings.</summary>
public sealed class HttpNodeRunner : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly INodeExecutor _node;

    public HttpNodeRunner(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        _services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddBuiltInNodes().BuildServiceProvider();
        _node = _services.GetServices<INodeExecutor>().Single(e => e.Descriptor.Type == BuiltInNodeTypes.Http);
    }

    public void Dispose() => _services.Dispose();

    public Task<NodeResult> SendAsync(object parameters) => _node.ExecuteAsync(new NodeExecutionContext
    {
        ExecutionId = Guid.NewGuid(),
        WorkflowId = "probe",
        NodeId = "probe",
        NodeType = BuiltInNodeTypes.Http,
        Attempt = 1,
        Parameters = JsonSerializer.SerializeToElement(parameters),
        Input = JsonDocument.Parse("{}").RootElement.Clone(),
        IdempotencyKey = "probe-1",
        Services = _services,
    }, CancellationToken.None);

    public async Task<NodeExecutionException> FailureOf(object parameters)
    {
        var act = () => SendAsync(parameters);
        return (await act.Should().ThrowAsync<NodeExecutionException>().WaitAsync(TimeSpan.FromMinutes(1))).Which;
    }
}
