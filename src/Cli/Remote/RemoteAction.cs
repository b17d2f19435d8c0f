using System.CommandLine;

namespace Workflow.Messaging.Cli.Remote;

/// <summary>Runs a remote command with its client and writers, turning an unreachable coordinator into one line and an exit code.</summary>
internal static class RemoteAction
{
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken,
        Func<ApiClient, TextWriter, TextWriter, Task<int>> action)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        using var client = ApiConnection.Client(parse);
        try
        {
            return await action(client, output, error);
        }
        catch (HttpRequestException exception)
        {
            return Report.Unreachable(ApiConnection.Address(parse), exception, error);
        }
    }
}
