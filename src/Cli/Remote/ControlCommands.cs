using System.CommandLine;
using System.Text.Json;
using Workflow.Messaging.Cli.Commands;

namespace Workflow.Messaging.Cli.Remote;

/// <summary><c>wf pause|resume|cancel|retry id</c> and <c>wf decide id node --approve|--reject</c>: operator commands.</summary>
internal static class ControlCommands
{
    public static IEnumerable<Command> Create() =>
    [
        Simple("pause", "Stop dispatching new nodes; running ones finish"),
        Simple("resume", "Dispatch again what became ready while paused"),
        Simple("cancel", "End the execution as cancelled; workers stop its running nodes", withReason: true),
        Simple("retry", "Run a failed, cancelled or timed-out execution again from its failed nodes"),
        Decide(),
    ];

    private static Command Simple(string name, string description, bool withReason = false)
    {
        var id = new Argument<Guid>("execution") { Description = "Execution id" };
        var reason = new Option<string?>("--reason") { Description = "Why; kept in the execution's status" };
        var command = new Command(name, description) { id };
        if (withReason)
            command.Options.Add(reason);
        command.SetAction((parse, cancellation) => RemoteAction.RunAsync(parse, cancellation, async (client, output, error) =>
        {
            var body = JsonSerializer.Serialize(new { reason = withReason ? parse.GetValue(reason) : null, requestedBy = $"wf ({Environment.UserName})" });
            var response = await client.PostAsync($"/api/executions/{parse.GetValue(id)}/{name}", body, cancellation);
            if (!response.IsSuccess)
                return Report.Failure(response, error);
            output.WriteLine($"{name} accepted for {parse.GetValue(id)}");
            return ExitCodes.Succeeded;
        }));
        return command;
    }

    private static Command Decide()
    {
        var id = new Argument<Guid>("execution") { Description = "Execution id" };
        var node = new Argument<string>("node") { Description = "The waiting approval node" };
        var approve = new Option<bool>("--approve") { Description = "Approve: continue on the node's approved port" };
        var reject = new Option<bool>("--reject") { Description = "Reject: continue on the node's rejected port" };
        var comment = new Option<string?>("--comment") { Description = "Kept in the node's output" };
        var command = new Command("decide", "Answer a waiting approval node") { id, node, approve, reject, comment };
        command.Validators.Add(result =>
        {
            if (result.GetValue(approve) == result.GetValue(reject))
                result.AddError("Give exactly one of --approve and --reject.");
        });
        command.SetAction((parse, cancellation) => RemoteAction.RunAsync(parse, cancellation, async (client, output, error) =>
        {
            var body = JsonSerializer.Serialize(new { approved = parse.GetValue(approve), comment = parse.GetValue(comment), decidedBy = Environment.UserName });
            var response = await client.PostAsync($"/api/executions/{parse.GetValue(id)}/nodes/{Uri.EscapeDataString(parse.GetValue(node)!)}/decision", body, cancellation);
            if (!response.IsSuccess)
                return Report.Failure(response, error);
            output.WriteLine($"decision accepted for {parse.GetValue(node)} of {parse.GetValue(id)}");
            return ExitCodes.Succeeded;
        }));
        return command;
    }
}
