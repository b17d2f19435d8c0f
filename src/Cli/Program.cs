using Workflow.Messaging.Cli.Commands;

return await WfRoot.InvokeAsync(args);
