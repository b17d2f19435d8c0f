namespace Workflow.Messaging.Cli.Commands;

internal static class ExitCodes
{
    public const int Succeeded = 0;

    /// <summary>The execution ran and did not succeed (failed, cancelled, timed out).</summary>
    public const int ExecutionDidNotSucceed = 1;

    /// <summary>Bad input: missing file, bad JSON, invalid definition.</summary>
    public const int BadInput = 2;
}
