using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Validation;

internal static class WorkflowRules
{
    private const int MaxIdLength = 200;
    private const int MaxParallelNodes = 10_000;

    /// <summary>Each unit of a limit is a slot row in the coordinator's database: the bound keeps a definition from asking for millions.</summary>
    public const int MaxConcurrentExecutions = 10_000;

    public static void Check(WorkflowDefinition definition, ProblemCollector problems)
    {
        if (string.IsNullOrWhiteSpace(definition.Id))
            problems.Add("$.id", DefinitionProblemCodes.MissingId, "The workflow needs a non-empty id.");
        else if (definition.Id.Length > MaxIdLength || definition.Id.Any(char.IsControl))
            problems.Add("$.id", DefinitionProblemCodes.InvalidId, $"The workflow id must be at most {MaxIdLength} characters without control characters.");

        if (definition.Version < 1)
            problems.Add("$.version", DefinitionProblemCodes.InvalidVersion, $"The version must be 1 or more, not {definition.Version}.");

        if (definition.Nodes is null || definition.Nodes.Count == 0)
            problems.Add("$.nodes", DefinitionProblemCodes.NoNodes, "The workflow needs at least one node.");

        if (definition.Settings is { } settings)
        {
            if (settings.MaxParallelNodes is < 1 or > MaxParallelNodes)
                problems.Add("$.settings.maxParallelNodes", DefinitionProblemCodes.InvalidSettings,
                    $"maxParallelNodes must be between 1 and {MaxParallelNodes}, not {settings.MaxParallelNodes}.");
            if (settings.MaxConcurrentExecutions is < 1 or > MaxConcurrentExecutions)
                problems.Add("$.settings.maxConcurrentExecutions", DefinitionProblemCodes.InvalidSettings,
                    $"maxConcurrentExecutions must be between 1 and {MaxConcurrentExecutions} (or absent for no limit), not {settings.MaxConcurrentExecutions}.");
            if (settings.ExecutionTimeout is { } timeout && timeout <= TimeSpan.Zero)
                problems.Add("$.settings.executionTimeout", DefinitionProblemCodes.InvalidSettings,
                    $"executionTimeout must be longer than zero, not {Duration.Format(timeout)}.");
        }
    }
}
