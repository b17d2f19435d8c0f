using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Planning;

/// <summary>Exponential backoff with jitter.</summary>
public static class RetryDelay
{
    /// <summary>
    /// Delay before the <paramref name="retryNumber"/>-th retry (1 for the second attempt).
    /// <paramref name="random"/> is a uniform sample in [0, 1), injected so tests are exact.
    /// </summary>
    public static TimeSpan For(RetryPolicy policy, int retryNumber, double random)
    {
        var exponent = Math.Max(0, retryNumber - 1);
        var baseMs = policy.InitialDelay.TotalMilliseconds * Math.Pow(policy.BackoffMultiplier, exponent);
        var cappedMs = Math.Min(baseMs, policy.MaxDelay.TotalMilliseconds);
        var spread = cappedMs * policy.Jitter * (2 * random - 1);
        return TimeSpan.FromMilliseconds(Math.Max(0, cappedMs + spread));
    }
}
