using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api.Models;
using Workflow.Messaging.Coordinator.Api.Progress;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.Queries;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Validation;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// <c>/api/executions</c>: start, read, list, control and watch executions. Writes are commands to
/// the saga, so they answer 202: the saga carries them out, and the status URL shows the result.
/// </summary>
public static class ExecutionEndpoints
{
    public static RouteGroupBuilder MapExecutionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/executions").WithTags("Executions");
        group.MapPost("/", StartAsync).WithName("StartExecution").Accepts<StartExecutionRequest>("application/json")
            .WithSummary("Start an execution; an Idempotency-Key header makes a repeated start return the same execution.");
        group.MapGet("/", ListAsync).WithName("ListExecutions");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetExecution");
        group.MapGet("/{id:guid}/events", StreamAsync).WithName("StreamExecutionEvents")
            .WithSummary("Server-sent events: a snapshot, then progress, paused, resumed and a final finished event.");
        group.MapPost("/{id:guid}/pause", (Guid id, [FromBody] CommandRequest? body, CommandContext context) =>
            CommandAsync(id, "pause", body, context, [ExecutionStatus.Running],
                () => new PauseExecution { ExecutionId = id, RequestedBy = By(body) })).WithName("PauseExecution");
        group.MapPost("/{id:guid}/resume", (Guid id, [FromBody] CommandRequest? body, CommandContext context) =>
            CommandAsync(id, "resume", body, context, [ExecutionStatus.Paused],
                () => new ResumeExecution { ExecutionId = id, RequestedBy = By(body) })).WithName("ResumeExecution");
        group.MapPost("/{id:guid}/cancel", (Guid id, [FromBody] CommandRequest? body, CommandContext context) =>
            CommandAsync(id, "cancel", body, context, [ExecutionStatus.Running, ExecutionStatus.Paused],
                () => new CancelExecution { ExecutionId = id, Reason = body?.Reason, RequestedBy = By(body) })).WithName("CancelExecution");
        group.MapPost("/{id:guid}/retry", (Guid id, [FromBody] CommandRequest? body, CommandContext context) =>
            CommandAsync(id, "retry", body, context, [ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.TimedOut],
                () => new RetryExecution { ExecutionId = id, RequestedBy = By(body) })).WithName("RetryExecution");
        group.MapPost("/{id:guid}/nodes/{nodeId}/decision", DecideAsync).WithName("SubmitDecision")
            .WithSummary("Answer a waiting approval node.");
        return group;
    }

    /// <summary>What every command handler needs, bound from the request's services in one parameter.</summary>
    public sealed record CommandContext(IExecutionQueries Queries, ExecutionCommands Commands, HttpContext Http)
    {
        public static ValueTask<CommandContext?> BindAsync(HttpContext context) => ValueTask.FromResult<CommandContext?>(new CommandContext(
            context.RequestServices.GetRequiredService<IExecutionQueries>(),
            context.RequestServices.GetRequiredService<ExecutionCommands>(),
            context));
    }

    public static async Task<Results<Accepted<ExecutionAccepted>, ValidationProblem, ProblemHttpResult>> StartAsync(
        HttpRequest request, IWorkflowDefinitionStore definitions, INodeTypeCatalog catalog, IExecutionQueries queries,
        ExecutionCommands commands, CancellationToken cancellationToken)
    {
        var key = request.Headers[IdempotencyKeys.Header].ToString();
        if (key.Length > IdempotencyKeys.MaxLength)
            return ApiProblems.Invalid(IdempotencyKeys.Header, $"The key has {key.Length} characters; at most {IdempotencyKeys.MaxLength} are allowed.");
        var executionId = key.Length > 0 ? IdempotencyKeys.ExecutionId(key) : NewId.NextGuid();
        if (key.Length > 0 && await queries.FindAsync(executionId, cancellationToken) is not null)
            return Accepted(executionId);

        var (document, problem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
            return problem;
        StartExecutionRequest body;
        using (document)
        {
            try
            {
                body = document!.RootElement.Deserialize<StartExecutionRequest>(RequestJson)!;
            }
            catch (JsonException e)
            {
                return ApiProblems.Invalid(e.Path ?? "$", "The request does not match the start request: " + e.Message.Split(" Path:")[0]);
            }
        }

        WorkflowDefinition? inline = null;
        if (body.Definition is { } raw)
        {
            if (body.WorkflowId is not null)
                return ApiProblems.Invalid("$.workflowId", "Give either workflowId or definition, not both.");
            var read = DefinitionReader.Read(raw.GetRawText(), catalog);
            if (!read.IsValid)
                return ApiProblems.InvalidDefinition(read.Problems, "$.definition");
            inline = read.Definition;
        }
        else if (string.IsNullOrWhiteSpace(body.WorkflowId))
        {
            return ApiProblems.Invalid("$.workflowId", "Give the id of a stored workflow (workflowId) or an inline definition.");
        }
        else if (body.Version is < 1)
        {
            return ApiProblems.Invalid("$.version", "A version is 1 or more.");
        }
        else if (await definitions.FindAsync(body.WorkflowId, body.Version, cancellationToken) is null)
        {
            return ApiProblems.Invalid("$.workflowId", $"No stored workflow '{body.WorkflowId}'{(body.Version is { } v ? $" version {v}" : "")}.");
        }

        await commands.SendAsync(new StartWorkflow
        {
            ExecutionId = executionId,
            Definition = inline,
            WorkflowId = inline is null ? body.WorkflowId : null,
            WorkflowVersion = inline is null ? body.Version : null,
            Input = body.Input,
            RequestedBy = body.RequestedBy ?? "api",
        }, cancellationToken);
        return Accepted(executionId);
    }

    public static async Task<Results<Ok<PagedList<ExecutionSummary>>, ValidationProblem>> ListAsync(
        IExecutionQueries queries, IOptions<ApiOptions> options, CancellationToken cancellationToken,
        string? workflowId = null, string? status = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50)
    {
        if (page < 1)
            return ApiProblems.Invalid("page", "Pages are numbered from 1.");
        if (pageSize < 1 || pageSize > options.Value.MaxPageSize)
            return ApiProblems.Invalid("pageSize", $"The page size is between 1 and {options.Value.MaxPageSize}.");
        if (from > to)
            return ApiProblems.Invalid("from", "'from' is after 'to'.");
        var states = new List<string>();
        foreach (var name in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParseStatus(name, out var parsed))
                return ApiProblems.Invalid("status", $"Unknown status '{name}'; use {string.Join(", ", Enum.GetValues<ExecutionStatus>().Select(StatusName))}.");
            states.Add(parsed.ToString());
        }
        var result = await queries.ListAsync(new ExecutionFilter
        {
            WorkflowId = string.IsNullOrWhiteSpace(workflowId) ? null : workflowId,
            States = states,
            CreatedFrom = from?.UtcDateTime,
            CreatedTo = to?.UtcDateTime,
            Skip = (page - 1) * pageSize,
            Take = pageSize,
        }, cancellationToken);
        return TypedResults.Ok(new PagedList<ExecutionSummary>(result.Items.Select(ExecutionView.Summary).ToList(), page, pageSize, result.Total));
    }

    /// <param name="outputs">False leaves node outputs out, for executions whose outputs are large (wide fan-outs).</param>
    public static async Task<Results<Ok<ExecutionDetails>, ProblemHttpResult>> GetAsync(
        Guid id, IExecutionQueries queries, ExecutionGraphCache graphs, IExecutionOutputStore store, CancellationToken cancellationToken, bool outputs = true)
    {
        var saga = await queries.FindAsync(id, cancellationToken);
        if (saga is null)
            return NotFound(id);
        return TypedResults.Ok(await ExecutionView.DetailsAsync(saga, graphs, store, cancellationToken, outputs));
    }

    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamAsync(
        Guid id, IExecutionQueries queries, ExecutionProgressHub hub, ExecutionGraphCache graphs, IExecutionOutputStore outputs,
        CancellationToken cancellationToken)
    {
        // Subscribed before the snapshot is read, so no event between the two is lost.
        var subscription = hub.Subscribe(id);
        var saga = await queries.FindAsync(id, cancellationToken);
        if (saga is null)
        {
            subscription.Dispose();
            return NotFound(id);
        }
        var definitionJson = saga.DefinitionJson;
        var details = await ExecutionView.DetailsAsync(saga, graphs, outputs, cancellationToken);
        var snapshot = new ExecutionStreamEvent("snapshot", JsonSerializer.Serialize(ExecutionView.Snapshot(details), ExecutionProgressConsumer.Json));
        ExecutionStreamEvent? ended = null;
        if (ExecutionView.IsTerminal(details.Status))
        {
            var endNodes = string.IsNullOrEmpty(definitionJson) ? [] : graphs.Get(definitionJson).EndNodes;
            ended = new ExecutionStreamEvent("finished", JsonSerializer.Serialize(ExecutionView.Finished(details, endNodes), ExecutionProgressConsumer.Json), Final: true);
        }
        return TypedResults.ServerSentEvents(Events(snapshot, ended, subscription, cancellationToken));
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
        Guid id, string name, CommandRequest? body, CommandContext context, ExecutionStatus[] allowedFrom, Func<T> command) where T : class
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

    private static async IAsyncEnumerable<SseItem<string>> Events(ExecutionStreamEvent snapshot, ExecutionStreamEvent? ended,
        ExecutionProgressHub.Subscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (subscription)
        {
            yield return new SseItem<string>(snapshot.Data, snapshot.Event);
            if (ended is not null)
            {
                yield return new SseItem<string>(ended.Data, ended.Event);
                yield break;
            }
            await foreach (var next in subscription.Events.ReadAllAsync(cancellationToken))
            {
                yield return new SseItem<string>(next.Data, next.Event);
                if (next.Final)
                    yield break;
            }
        }
    }

    private static Accepted<ExecutionAccepted> Accepted(Guid id) =>
        TypedResults.Accepted(StatusUrl(id), new ExecutionAccepted(id, StatusUrl(id), $"{StatusUrl(id)}/events"));

    private static string StatusUrl(Guid id) => $"/api/executions/{id}";

    private static ProblemHttpResult NotFound(Guid id) => ApiProblems.NotFound($"No execution {id}.");

    private static string? By(CommandRequest? body) => body?.RequestedBy ?? "api";

    private static string StatusName(ExecutionStatus status) => JsonSerializer.Serialize(status).Trim('"');

    private static string StatusName(NodeStatus status) => JsonSerializer.Serialize(status).Trim('"');

    private static bool TryParseStatus(string name, out ExecutionStatus status)
    {
        foreach (var candidate in Enum.GetValues<ExecutionStatus>())
            if (string.Equals(StatusName(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        status = default;
        return false;
    }

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}
