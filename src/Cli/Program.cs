using System.CommandLine;
using Workflow.Messaging.Cli.Commands;

var root = new RootCommand("wf: run and drive Workflow.Messaging workflows")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
};
// "@file" means a file of JSON input here, not a response file of arguments.
var configuration = new ParserConfiguration { ResponseFileTokenReplacer = null };
return await root.Parse(args, configuration).InvokeAsync();
