using System.CommandLine;
using Workflow.Messaging.Cli.Commands;

namespace Workflow.Messaging.Api.Tests.Cli;

/// <summary>Runs the same command tree as the wf executable, capturing what it prints.</summary>
public static class Wf
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- out\n{Output}\n--- err\n{Error}";
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exit = await WfRoot.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, timeout.Token);
        return new Result(exit, output.ToString(), error.ToString());
    }

    public static string TempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"wf-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }
}
