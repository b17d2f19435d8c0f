using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Api.Models;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Validation;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary><c>/api/definitions</c>: versioned workflow definitions that executions refer to by id.</summary>
public static class DefinitionEndpoints
{
    public static RouteGroupBuilder MapDefinitionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/definitions").WithTags("Definitions");
        group.MapPost("/", CreateAsync).WithName("CreateDefinition").Accepts<WorkflowDefinition>("application/json")
            .WithSummary("Store a new version; without a version number it becomes the latest plus one.");
        group.MapPost("/validate", ValidateAsync).WithName("ValidateDefinition").Accepts<WorkflowDefinition>("application/json")
            .WithSummary("Check a definition without storing it; every problem has its JSON path.");
        group.MapGet("/", ListAsync).WithName("ListDefinitions");
        group.MapGet("/{id}", GetLatestAsync).WithName("GetDefinition");
        group.MapGet("/{id}/versions/{version:int}", GetVersionAsync).WithName("GetDefinitionVersion");
        return group;
    }

    public static async Task<Results<Created<WorkflowDefinition>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, IWorkflowDefinitionStore store, INodeTypeCatalog catalog, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
            return problem;
        using (document)
        {
            var read = DefinitionReader.Read(document!.RootElement.GetRawText(), catalog);
            if (!read.IsValid)
                return ApiProblems.InvalidDefinition(read.Problems);
            var definition = read.Definition;
            if (!document.RootElement.TryGetProperty("version", out _))
            {
                var latest = await store.FindAsync(definition.Id, null, cancellationToken);
                definition = definition with { Version = (latest?.Version ?? 0) + 1 };
            }
            else if (await store.FindAsync(definition.Id, definition.Version, cancellationToken) is not null)
            {
                return ApiProblems.Conflict($"Workflow '{definition.Id}' version {definition.Version} exists already; versions are immutable.");
            }
            try
            {
                await store.SaveAsync(definition, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                // Two creates of the same version raced; the store keeps the first.
                return ApiProblems.Conflict(e.Message);
            }
            return TypedResults.Created($"/api/definitions/{Uri.EscapeDataString(definition.Id)}/versions/{definition.Version}", definition);
        }
    }

    public static async Task<Results<Ok<ValidationResult>, ValidationProblem>> ValidateAsync(
        HttpRequest request, INodeTypeCatalog catalog, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
            return ApiProblems.Invalid("$", "The request body is empty; a workflow definition is expected.");
        var read = DefinitionReader.Read(text, catalog);
        return TypedResults.Ok(new ValidationResult(read.IsValid, read.Problems));
    }

    public static async Task<Ok<IReadOnlyList<DefinitionSummary>>> ListAsync(IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken);
        IReadOnlyList<DefinitionSummary> summaries = all
            .GroupBy(d => d.Id, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var latest = g.MaxBy(d => d.Version)!;
                return new DefinitionSummary(g.Key, latest.Name, latest.Version, g.Select(d => d.Version).Order().ToList());
            })
            .ToList();
        return TypedResults.Ok(summaries);
    }

    public static async Task<Results<Ok<WorkflowDefinition>, ProblemHttpResult>> GetLatestAsync(
        string id, IWorkflowDefinitionStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, null, cancellationToken) is { } definition
            ? TypedResults.Ok(definition)
            : ApiProblems.NotFound($"No workflow definition '{id}'.");

    public static async Task<Results<Ok<WorkflowDefinition>, ProblemHttpResult>> GetVersionAsync(
        string id, int version, IWorkflowDefinitionStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, version, cancellationToken) is { } definition
            ? TypedResults.Ok(definition)
            : ApiProblems.NotFound($"No workflow definition '{id}' version {version}.");
}
