using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Admission.Pools;
using Workflow.Messaging.Coordinator.Api.Models;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.Queries;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// <c>/api/executions</c>: start, read, list, control and watch executions. Writes are commands to
/// the saga, so they answer 202: the saga carries them out, and the status URL shows the result.
/// </summary>
public static partial class ExecutionEndpoints
{
    public static RouteGroupBuilder MapExecutionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/executions").WithTags("Executions");
        group.MapPost("/", StartAsync).WithName("StartExecution").Accepts<StartExecutionRequest>("application/json")
            .WithSummary("Start an execution; an Idempotency-Key header makes a repeated start return the same execution.");
        group.MapGet("/", ListAsync).WithName("ListExecutions");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetExecution");
        group.MapGet("/{id:guid}/nodes/{nodeId}/output", GetOutputAsync).WithName("GetNodeOutput")
            .WithSummary("One node's whole output; status reads leave large outputs out and point here.");
        group.MapGet("/{id:guid}/events", StreamAsync).WithName("StreamExecutionEvents")
            .WithSummary("Server-sent events: a snapshot, then progress, paused, resumed and a final finished event.");
        group.MapPost("/{id:guid}/pause", (Guid id, [FromBody] CommandRequest? body, CommandContext context) =>
            CommandAsync(id, "pause", context, [ExecutionStatus.Running],
                () => new PauseExecution { ExecutionId = id, RequestedBy = By(body) })).WithName("PauseExecution");
        group.MapPost("/{id:guid}/resume", (Guid id, [FromBody] CommandRequest? body, CommandContext context) =>
            CommandAsync(id, "resume", context, [ExecutionStatus.Paused],
                () => new ResumeExecution { ExecutionId = id, RequestedBy = By(body) })).WithName("ResumeExecution");
        group.MapPost("/{id:guid}/cancel", (Guid id, [FromBody] CommandRequest? body, CommandContext context) =>
            CommandAsync(id, "cancel", context, [ExecutionStatus.Queued, ExecutionStatus.Running, ExecutionStatus.Paused],
                () => new CancelExecution { ExecutionId = id, Reason = body?.Reason, RequestedBy = By(body) })).WithName("CancelExecution");
        group.MapPost("/{id:guid}/retry", (Guid id, [FromBody] CommandRequest? body, CommandContext context) =>
            CommandAsync(id, "retry", context, [ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.TimedOut],
                () => new RetryExecution { ExecutionId = id, RequestedBy = By(body) })).WithName("RetryExecution");
        group.MapPost("/{id:guid}/nodes/{nodeId}/decision", DecideAsync).WithName("SubmitDecision")
            .WithSummary("Answer a waiting approval node.");
        return group;
    }

    public static async Task<Results<Ok<PagedList<ExecutionSummary>>, ValidationProblem>> ListAsync(
        IExecutionQueries queries, IOptions<ApiOptions> options, CancellationToken cancellationToken,
        string? workflowId = null, string? status = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50)
    {
        if (page < 1)
            return ApiProblems.Invalid("page", "Pages are numbered from 1.");
        if (pageSize < 1 || pageSize > options.Value.MaxPageSize)
            return ApiProblems.Invalid("pageSize", $"The page size is between 1 and {options.Value.MaxPageSize}.");
        // Checked in 64 bits: page 2147483647 must be refused, not wrap around to a negative offset.
        if ((long)(page - 1) * pageSize > MaxOffset)
            return ApiProblems.Invalid("page", $"Page {page} of {pageSize} starts past the last addressable execution ({MaxOffset}); narrow the filter instead.");
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

    /// <param name="outputs">False leaves node outputs out; with true, outputs past Api:MaxStatusOutputBytes are left out anyway and read per node.</param>
    public static async Task<Results<Ok<ExecutionDetails>, ProblemHttpResult>> GetAsync(
        Guid id, IExecutionQueries queries, ExecutionGraphCache graphs, IExecutionOutputStore store, IOptions<ApiOptions> options, IAdmissionStore admission,
        PoolGates pools, CancellationToken cancellationToken, bool outputs = true)
    {
        var saga = await queries.FindAsync(id, cancellationToken);
        if (saga is null)
            return NotFound(id);
        var details = await ExecutionView.DetailsAsync(saga, graphs, store, cancellationToken, outputs, options.Value.MaxStatusOutputBytes);
        return TypedResults.Ok(await details.WithWaitingForAsync(admission, pools, cancellationToken));
    }

    /// <summary>One node's whole output, however large (it is bounded by Nodes:MaxOutputBytes when stored).</summary>
    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> GetOutputAsync(
        Guid id, string nodeId, IExecutionQueries queries, IExecutionOutputStore store, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(id, cancellationToken) is null)
            return NotFound(id);
        var found = await store.LoadAsync(id, [nodeId], cancellationToken);
        return found.TryGetValue(nodeId, out var output)
            ? TypedResults.Ok(output)
            : ApiProblems.NotFound($"Node '{nodeId}' of execution {id} has no output.");
    }

    // Past the configured backlog a start is refused instead of queued: the client retries later.
    private static ProblemHttpResult? Backpressure(HttpRequest request, AdmissionBacklog backlog, AdmissionOptions options)
    {
        if (options.MaxQueuedExecutions is not { } bound || backlog.Latest.QueuedExecutions < bound)
            return null;
        var retryAfter = Math.Max(1, (int)Math.Ceiling(options.RetryAfter.TotalSeconds));
        request.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many queued executions",
            detail: $"{backlog.Latest.QueuedExecutions} executions are queued (bound {bound}); retry after {retryAfter} s.");
    }

    private static Accepted<ExecutionAccepted> Accepted(Guid id) =>
        TypedResults.Accepted(StatusUrl(id), new ExecutionAccepted(id, StatusUrl(id), $"{StatusUrl(id)}/events"));

    private static string StatusUrl(Guid id) => $"/api/executions/{id}";

    private static ProblemHttpResult NotFound(Guid id) => ApiProblems.NotFound($"No execution {id}.");

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

    /// <summary>Deepest offset a list may start at; deeper pages would only make the database skip rows.</summary>
    public const int MaxOffset = 1_000_000;
}
