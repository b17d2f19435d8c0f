using MassTransit;
using Workflow.Messaging.Coordinator.Executions;

namespace Workflow.Messaging.Coordinator.Partitions;

/// <summary>The saga endpoints of the partitions this coordinator consumes, connected to the running bus and removed again.</summary>
public sealed class PartitionEndpoints(IReceiveEndpointConnector connector, PartitionStepLimit limit)
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(30);

    private readonly Dictionary<int, HostReceiveEndpointHandle> _running = [];

    public IReadOnlyCollection<int> Running => _running.Keys;

    /// <summary>Starts consuming <paramref name="partition"/>; throws (and leaves nothing connected) when its endpoint does not become ready.</summary>
    public async Task StartAsync(int partition, CancellationToken cancellationToken)
    {
        var handle = connector.ConnectReceiveEndpoint(SagaPartitions.QueueName(partition), (context, endpoint) =>
        {
            SagaPartitions.ConfigureEndpoint(endpoint);
            endpoint.UseFilter(limit);
            endpoint.ConfigureSaga<WorkflowExecutionState>(context);
        });
        try
        {
            await handle.Ready.WaitAsync(ReadyWithin, cancellationToken);
        }
        catch
        {
            await handle.StopAsync(CancellationToken.None);
            throw;
        }
        _running[partition] = handle;
    }

    /// <summary>Stops consuming <paramref name="partition"/>: steps under way finish, prefetched messages go back to its queue.</summary>
    public async Task StopAsync(int partition, CancellationToken cancellationToken)
    {
        if (_running.Remove(partition, out var handle))
            await handle.StopAsync(cancellationToken);
    }
}
