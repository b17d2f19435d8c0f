namespace Workflow.Messaging.Cli.Commands;

internal static class ExitCodes
{
    public const int Succeeded = 0;

    /// <summary>The execution ran and did not succeed (failed, cancelled, timed out).</summary>
    public const int ExecutionDidNotSucceed = 1;

    /// <summary>Bad input: missing file, bad JSON, invalid definition.</summary>
    public const int BadInput = 2;

    /// <summary>The coordinator refused the request: unknown id, wrong state (404, 409).</summary>
    public const int Refused = 3;

    /// <summary>No API key, or not one the coordinator accepts (401, 403).</summary>
    public const int Unauthorized = 4;

    /// <summary>The coordinator or broker could not be reached.</summary>
    public const int Unreachable = 5;
}
