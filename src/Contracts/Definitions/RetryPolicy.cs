using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>Exponential backoff with jitter: delay(n) = min(InitialDelay * BackoffMultiplier^(n-1), MaxDelay) ± Jitter.</summary>
public sealed record RetryPolicy
{
    /// <summary>Total attempts including the first; 1 means no retry.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay before the second attempt.</summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Factor applied to the delay after each failed attempt (1 or more).</summary>
    public double BackoffMultiplier { get; init; } = 2.0;

    /// <summary>Upper bound of any one delay.</summary>
    [JsonConverter(typeof(DurationJsonConverter))]
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Random spread as a fraction of the delay, 0 to 1 (0.2 = ±20%), so retries of many executions do not align.</summary>
    public double Jitter { get; init; } = 0.2;
}
