namespace Workflow.Messaging.Coordinator.Admission.Pools;

/// <summary>Reads how many messages wait in a pool's broker queue.</summary>
public interface IPoolDepthReader
{
    /// <summary>Messages ready in <paramref name="queue"/>; null when this transport cannot tell (the gate then stays open).</summary>
    Task<long?> ReadAsync(string queue, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded fleet's reader: its workers run in this process and take from the in-memory queues as
/// fast as they can, so there is no broker backlog to hold back; every pool stays open.
/// </summary>
public sealed class NoPoolDepthReader : IPoolDepthReader
{
    public Task<long?> ReadAsync(string queue, CancellationToken cancellationToken) => Task.FromResult<long?>(null);
}
