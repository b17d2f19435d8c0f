namespace Workflow.Messaging.Contracts;

/// <summary>Worker pools: each has its own queue, so each pool's workers scale on their own queue depth.</summary>
public static class NodePools
{
    /// <summary>The pool of nodes that name none.</summary>
    public const string Default = "default";

    /// <summary>Queue that receives ExecuteNode for a pool: <c>node-pool-{pool}</c>.</summary>
    public static string QueueName(string? pool) =>
        $"node-pool-{(string.IsNullOrWhiteSpace(pool) ? Default : pool.Trim().ToLowerInvariant())}";
}
