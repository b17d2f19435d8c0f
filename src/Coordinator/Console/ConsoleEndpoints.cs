using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Admission.Pools;
using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Console.Components;
using Workflow.Messaging.Coordinator.Console.Layout;
using Workflow.Messaging.Coordinator.Console.Model;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Coordinator.Executions;
using Workflow.Messaging.Coordinator.Outputs;
using Workflow.Messaging.Coordinator.Queries;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Coordinator.Console;

/// <summary>
/// The console's pages under <c>/ui</c>: each handler reads through the API's queries and views and
/// hands a model to a Razor component rendered on the server. The script only opens the event
/// stream, recolours the graph, loads a node's panel and sends actions to the API.
/// </summary>
public static partial class ConsoleEndpoints
{
    private const int PageSize = 25;

    public static RouteGroupBuilder MapConsolePages(this IEndpointRouteBuilder endpoints)
    {
        var ui = endpoints.MapGroup("/ui").ExcludeFromDescription();
        ui.MapGet("/assets/{name}", ConsoleAssets.Get);
        ui.MapGet("/key", (string? returnUrl) => Page<KeyPage>(new { ReturnUrl = LocalReturn(returnUrl) }));
        ui.MapPost("/key", RememberKeyAsync).DisableAntiforgery();

        var pages = ui.MapGroup("/").AddEndpointFilter<ConsoleKeyFilter>();
        pages.MapGet("/", () => TypedResults.Redirect("/ui/executions"));
        pages.MapGet("/executions", ExecutionsAsync);
        pages.MapGet("/executions/{id:guid}", ExecutionAsync);
        pages.MapGet("/executions/{id:guid}/nodes/{nodeId}", NodePanelAsync);
        pages.MapGet("/executions/{id:guid}/timeline", TimelineAsync);
        pages.MapGet("/executions/{id:guid}/live", LiveAsync);
        pages.MapGet("/definitions", DefinitionsAsync);
        pages.MapGet("/definitions/new", () => Page<DefinitionEditorPage>(new { }));
        pages.MapPost("/definitions/preview", PreviewAsync).DisableAntiforgery();
        pages.MapGet("/definitions/{id}", DefinitionAsync);
        return ui;
    }

    public static async Task<IResult> ExecutionsAsync(IExecutionQueries queries, IWorkflowDefinitionStore definitions,
        CancellationToken cancellationToken, string? workflow = null, string? status = null, string? from = null, string? to = null, int page = 1)
    {
        var workflowId = string.IsNullOrWhiteSpace(workflow) ? null : workflow.Trim();
        ExecutionStatus? chosen = ConsoleText.TryParse(status, out var parsed) ? parsed : null;
        // The API refuses a page past its deepest offset; a console link is clamped to it instead.
        page = Math.Clamp(page, 1, ExecutionEndpoints.MaxOffset / PageSize + 1);
        var filter = new ExecutionFilter
        {
            WorkflowId = workflowId,
            States = chosen is { } s ? [s.ToString()] : [],
            CreatedFrom = Utc(from),
            CreatedTo = Utc(to),
            Skip = (page - 1) * PageSize,
            Take = PageSize,
        };
        var list = await queries.ListAsync(filter, cancellationToken);
        var counts = await queries.CountByStateAsync(filter, cancellationToken);
        var stored = await definitions.ListAsync(cancellationToken);
        return Page<ExecutionsPage>(new
        {
            Model = new ExecutionListModel
            {
                WorkflowId = workflowId,
                Status = chosen,
                From = filter.CreatedFrom,
                To = filter.CreatedTo,
                Page = page,
                PageSize = PageSize,
                Total = list.Total,
                Items = list.Items.Select(ExecutionView.Summary).ToList(),
                Counts = Enum.GetValues<ExecutionStatus>().ToDictionary(v => v, v => counts.GetValueOrDefault(v.ToString())),
                Workflows = stored.Select(d => d.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            },
        });
    }

    public static async Task<IResult> ExecutionAsync(Guid id, IExecutionQueries queries, ExecutionGraphCache graphs,
        IExecutionOutputStore outputs, ConsoleLinks links, INodeTypeCatalog catalog, IAdmissionStore admission, PoolGates pools,
        CancellationToken cancellationToken)
    {
        var saga = await queries.FindAsync(id, cancellationToken);
        if (saga is null)
            return Page<NotFoundPage>(new { What = $"No execution {id}." }, StatusCodes.Status404NotFound);
        var definition = DefinitionOf(saga, graphs);
        var details = await (await ExecutionView.DetailsAsync(saga, graphs, outputs, cancellationToken, includeOutputs: false))
            .WithWaitingForAsync(admission, pools, cancellationToken);
        var states = details.Nodes.ToDictionary(n => n.Id, n => ConsoleText.Name(n.Status), StringComparer.Ordinal);
        var svg = definition is null ? "" : SvgGraph.Render(LayeredLayout.Compute(GraphSource.From(definition)),
            new SvgDecorations { StateOf = node => states.GetValueOrDefault(node, "pending") });
        return Page<ExecutionDetailPage>(new
        {
            Model = new ExecutionPageModel
            {
                Execution = details,
                GraphSvg = svg,
                Timeline = Timeline(details),
                Pools = Pools(definition, links, catalog),
                SeqLink = links.Seq(id),
            },
        });
    }

    public static async Task<IResult> NodePanelAsync(Guid id, string nodeId, IExecutionQueries queries, ExecutionGraphCache graphs,
        IExecutionOutputStore outputs, ConsoleLinks links, INodeTypeCatalog catalog, CancellationToken cancellationToken)
    {
        var saga = await queries.FindAsync(id, cancellationToken);
        var definition = saga is null ? null : DefinitionOf(saga, graphs);
        var node = definition?.Nodes.FirstOrDefault(n => n.Id == nodeId);
        if (saga is null || definition is null || node is null)
            return Page<Missing>(new { What = $"No node '{nodeId}' in execution {id}." }, StatusCodes.Status404NotFound);
        var details = await ExecutionView.DetailsAsync(saga, graphs, outputs, cancellationToken, includeOutputs: false);
        var upstream = definition.Connections.Where(c => c.To == nodeId).Select(c => c.From).Distinct().ToList();
        var stored = await outputs.LoadAsync(id, [.. upstream, nodeId], cancellationToken);
        return Page<NodePanel>(new
        {
            Model = new NodePanelModel
            {
                ExecutionId = id,
                ExecutionStatus = details.Status,
                Definition = node,
                Details = details.Nodes.Single(n => n.Id == nodeId),
                Input = upstream.Where(stored.ContainsKey).ToDictionary(u => u, u => stored[u]),
                Output = stored.TryGetValue(nodeId, out var output) ? output : null,
                Pool = Pools(definition with { Nodes = [node] }, links, catalog).SingleOrDefault(),
            },
        });
    }

    public static async Task<IResult> TimelineAsync(Guid id, IExecutionQueries queries, ExecutionGraphCache graphs,
        IExecutionOutputStore outputs, CancellationToken cancellationToken)
    {
        var saga = await queries.FindAsync(id, cancellationToken);
        if (saga is null)
            return Page<Missing>(new { What = $"No execution {id}." }, StatusCodes.Status404NotFound);
        var details = await ExecutionView.DetailsAsync(saga, graphs, outputs, cancellationToken, includeOutputs: false);
        return Page<Timeline>(new { Rows = Timeline(details) });
    }

    private static async Task<IResult> RememberKeyAsync(HttpContext context, IOptionsMonitor<ApiOptions> options)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var key = form["key"].ToString();
        var returnUrl = LocalReturn(form["returnUrl"].ToString());
        if (options.CurrentValue.RequireApiKey && !ConsoleKey.IsConfigured(options.CurrentValue, key))
            return Page<KeyPage>(new { ReturnUrl = returnUrl, Refused = true }, StatusCodes.Status401Unauthorized);
        ConsoleKey.Remember(context, key);
        return TypedResults.Redirect(returnUrl);
    }

    /// <summary>
    /// A time from the filter form, read as UTC like every time the console shows. The form sends
    /// empty fields too, and a time it cannot read filters nothing instead of failing the page.
    /// </summary>
    private static DateTime? Utc(string? text) =>
        DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>Only a console address: the key form must not redirect elsewhere.</summary>
    private static string LocalReturn(string? returnUrl) =>
        returnUrl is { Length: > 3 } url && url.StartsWith("/ui", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            ? url
            : "/ui/executions";

    private static WorkflowDefinition? DefinitionOf(WorkflowExecutionState saga, ExecutionGraphCache graphs)
    {
        var json = saga.DefinitionJson;
        return string.IsNullOrEmpty(json) ? null : graphs.Get(json).Definition;
    }

    private static List<TimelineRow> Timeline(Api.Models.ExecutionDetails details) =>
        details.Nodes.Where(n => n.ReadyAt is not null)
            .OrderBy(n => n.ReadyAt)
            .Select(n => new TimelineRow(n.Id, n.Status, n.ReadyAt!.Value,
                n.Instances.Where(i => i.StartedAt is not null).Select(i => i.StartedAt).Min(),
                n.FinishedAt, n.Instances.Sum(i => i.Attempts), n.ItemCount ?? n.Instances.Count(i => i.ItemIndex is not null)))
            .ToList();

    /// <summary>The pools of the nodes that run on workers; control nodes, waits and approvals stay in the coordinator.</summary>
    private static List<PoolLink> Pools(WorkflowDefinition? definition, ConsoleLinks links, INodeTypeCatalog catalog) =>
        definition is null
            ? []
            : definition.Nodes
                .Where(n => !catalog.TryGet(n.Type, out var type) || type.Placement == NodePlacement.Worker)
                .Select(n => string.IsNullOrWhiteSpace(n.Pool) ? NodePools.Default : n.Pool.Trim().ToLowerInvariant())
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(p => new PoolLink(p, NodePools.QueueName(p), links.Queue(p))).ToList();

    /// <summary>A component rendered on the server: a whole page, or a piece the script puts in place (a node's panel, the timeline).</summary>
    private static RazorComponentResult Page<TComponent>(object parameters, int status = StatusCodes.Status200OK)
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        new RazorComponentResult<TComponent>(parameters) { StatusCode = status };
}
