using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Worker;

/// <summary>Where ExecuteNode commands go: one queue per worker pool, so each pool scales on its own queue depth.</summary>
public static class WorkerEndpoints
{
    public const string DefaultPool = NodePools.Default;

    /// <summary><c>node-pool-{pool}</c>; a node without a pool goes to <c>node-pool-default</c>.</summary>
    public static string QueueName(string? pool) => NodePools.QueueName(pool);

    /// <summary>The short address a sender passes to <c>GetSendEndpoint</c>; works on every transport.</summary>
    public static Uri Address(string? pool) => new($"queue:{QueueName(pool)}");
}
