using Workflow.Messaging.Worker.Transport;

namespace Workflow.Messaging.Coordinator.Admission.Pools;

/// <summary>
/// Reads a pool queue's depth from the broker itself (a passive queue declare through the
/// <see cref="IBrokerQueueProbe"/> the endpoint watchdog uses too): the messages ready, nothing is
/// created, and no management plugin or HTTP port is needed. A queue that does not exist yet holds
/// nothing; a broker that does not answer is an error, which opens the gate (see PoolDepthMonitor).
/// </summary>
public sealed class RabbitMqPoolDepthReader(IBrokerQueueProbe broker) : IPoolDepthReader
{
    public async Task<long?> ReadAsync(string queue, CancellationToken cancellationToken)
    {
        var readings = await broker.ReadAsync([queue], cancellationToken)
            ?? throw new InvalidOperationException($"The broker did not answer the depth reading of {queue}.");
        return readings[0].Messages;
    }
}
