namespace Workflow.Messaging.Worker;

/// <summary>Where ExecuteNode commands go: one queue per worker pool, so each pool scales on its own queue depth.</summary>
public static class WorkerEndpoints
{
    public const string DefaultPool = "default";

    /// <summary><c>node-pool-{pool}</c>; a node without a pool goes to <c>node-pool-default</c>.</summary>
    public static string QueueName(string? pool) =>
        $"node-pool-{(string.IsNullOrWhiteSpace(pool) ? DefaultPool : pool.Trim().ToLowerInvariant())}";

    /// <summary>The short address a sender passes to <c>GetSendEndpoint</c>; works on every transport.</summary>
    public static Uri Address(string? pool) => new($"queue:{QueueName(pool)}");
}
