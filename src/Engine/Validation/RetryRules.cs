using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Validation;

internal static class RetryRules
{
    private const int MaxAttempts = 100;

    public static void Check(int nodeIndex, RetryPolicy? retry, ProblemCollector problems)
    {
        if (retry is null)
            return;
        var path = DefinitionPath.Node(nodeIndex, "retry");
        if (retry.MaxAttempts is < 1 or > MaxAttempts)
            problems.Add($"{path}.maxAttempts", DefinitionProblemCodes.InvalidRetry,
                $"maxAttempts counts the first attempt and must be between 1 and {MaxAttempts}, not {retry.MaxAttempts}.");
        if (retry.InitialDelay < TimeSpan.Zero)
            problems.Add($"{path}.initialDelay", DefinitionProblemCodes.InvalidRetry, "initialDelay must not be negative.");
        if (!(retry.BackoffMultiplier >= 1) || double.IsInfinity(retry.BackoffMultiplier))
            problems.Add($"{path}.backoffMultiplier", DefinitionProblemCodes.InvalidRetry,
                $"backoffMultiplier must be a finite number of 1 or more, not {retry.BackoffMultiplier}.");
        if (retry.MaxDelay < retry.InitialDelay)
            problems.Add($"{path}.maxDelay", DefinitionProblemCodes.InvalidRetry,
                $"maxDelay ({Duration.Format(retry.MaxDelay)}) must not be shorter than initialDelay ({Duration.Format(retry.InitialDelay)}).");
        if (!(retry.Jitter is >= 0 and <= 1))
            problems.Add($"{path}.jitter", DefinitionProblemCodes.InvalidRetry, $"jitter is a fraction between 0 and 1, not {retry.Jitter}.");
    }
}
