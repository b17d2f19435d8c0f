using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api.Models;
using Workflow.Messaging.Coordinator.Queries;

namespace Workflow.Messaging.Coordinator.Api;

// Operator commands: each checks that the execution exists and is in a state the command applies
// to (404, 409), then publishes it; the saga carries it out, so the answer is 202.
public static partial class ExecutionEndpoints
{
    /// <summary>What every command handler needs, bound from the request's services in one parameter.</summary>
    public sealed record CommandContext(IExecutionQueries Queries, ExecutionCommands Commands, HttpContext Http)
    {
        public static ValueTask<CommandContext?> BindAsync(HttpContext context) => ValueTask.FromResult<CommandContext?>(new CommandContext(
            context.RequestServices.GetRequiredService<IExecutionQueries>(),
            context.RequestServices.GetRequiredService<ExecutionCommands>(),
            context));
    }

    public static async Task<Results<Accepted<CommandAccepted>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Guid id, string nodeId, [FromBody] DecisionRequest? body, CommandContext context)
    {
        if (body?.Approved is not { } approved)
            return ApiProblems.Invalid("$.approved", "Say whether the node is approved: true or false.");
        var saga = await context.Queries.FindAsync(id, context.Http.RequestAborted);
        if (saga is null)
            return NotFound(id);
        var status = ExecutionView.StatusOf(saga);
        if (status is not (ExecutionStatus.Running or ExecutionStatus.Paused))
            return ApiProblems.Conflict($"Execution {id} is {StatusName(status)}; only a running or paused execution takes decisions.");
        var runtime = JsonSerializer.Deserialize<Engine.Planning.ExecutionRuntime>(saga.RuntimeJson);
        if (runtime?.Nodes.GetValueOrDefault(nodeId) is not { } node)
            return ApiProblems.NotFound($"Execution {id} has no node '{nodeId}'.");
        if (!node.Instances.Any(i => i.Status == NodeStatus.Waiting))
            return ApiProblems.Conflict($"Node '{nodeId}' is {StatusName(node.Status)}, not waiting for a decision.");
        await context.Commands.SendAsync(new SubmitDecision
        {
            ExecutionId = id,
            NodeId = nodeId,
            Approved = approved,
            DecidedBy = body.DecidedBy ?? "api",
            Comment = body.Comment,
        }, context.Http.RequestAborted);
        return TypedResults.Accepted(StatusUrl(id), new CommandAccepted(id, "decision", StatusUrl(id)));
    }

    private static async Task<Results<Accepted<CommandAccepted>, ProblemHttpResult>> CommandAsync<T>(
        Guid id, string name, CommandContext context, ExecutionStatus[] allowedFrom, Func<T> command) where T : class
    {
        var saga = await context.Queries.FindAsync(id, context.Http.RequestAborted);
        if (saga is null)
            return NotFound(id);
        var status = ExecutionView.StatusOf(saga);
        if (!allowedFrom.Contains(status))
            return ApiProblems.Conflict($"Execution {id} is {StatusName(status)}; {name} applies to {string.Join(" or ", allowedFrom.Select(StatusName))} executions.");
        await context.Commands.SendAsync(command(), context.Http.RequestAborted);
        return TypedResults.Accepted(StatusUrl(id), new CommandAccepted(id, name, StatusUrl(id)));
    }

    private static string? By(CommandRequest? body) => body?.RequestedBy ?? "api";
}
