using System.CommandLine;
using Workflow.Messaging.Cli.Remote;

namespace Workflow.Messaging.Cli.Commands;

/// <summary>The <c>wf</c> command tree; public so tests run the same tree the executable runs.</summary>
public static class WfRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("wf: run and drive Workflow.Messaging workflows")
        {
            RunCommand.Create(),
            ValidateCommand.Create(),
            ServeCommand.Create(),
            StartCommand.Create(),
            StatusCommand.Create(),
            ListCommand.Create(),
            WatchCommand.Create(),
            DefinitionsCommand.Create(),
            PublishCommand.Create(),
        };
        foreach (var command in ControlCommands.Create())
            root.Subcommands.Add(command);
        root.Options.Add(ApiConnection.Api());
        root.Options.Add(ApiConnection.ApiKey());
        return root;
    }

    public static Task<int> InvokeAsync(string[] args, InvocationConfiguration? invocation = null, CancellationToken cancellationToken = default)
    {
        // "@file" means a file of JSON input here, not a response file of arguments.
        var configuration = new ParserConfiguration { ResponseFileTokenReplacer = null };
        return Create().Parse(args, configuration).InvokeAsync(invocation, cancellationToken);
    }
}
