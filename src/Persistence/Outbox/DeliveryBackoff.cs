namespace Workflow.Messaging.Persistence;

/// <summary>Exponential wait after consecutive failures, so a dead broker never causes a hot loop.</summary>
static class DeliveryBackoff
{
    public static TimeSpan After(int consecutiveFailures, WorkflowOutboxOptions options)
    {
        var exponent = Math.Min(consecutiveFailures - 1, 16);
        var delay = options.DeliveryRetryMinDelay * Math.Pow(2, exponent);
        return delay < options.DeliveryRetryMaxDelay ? delay : options.DeliveryRetryMaxDelay;
    }
}
