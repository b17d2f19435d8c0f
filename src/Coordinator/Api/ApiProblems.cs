using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>The Problem Details this API answers with, so every error of a kind looks the same.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult Unprocessable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused", detail: detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid");

    /// <summary>Every definition problem: under <c>errors</c> by JSON path, and as a list under <c>problems</c> with codes.</summary>
    public static ValidationProblem InvalidDefinition(IReadOnlyList<DefinitionProblem> problems, string? pathPrefix = null)
    {
        var located = problems.Select(p => pathPrefix is null ? p : p with { Path = Relocate(p.Path, pathPrefix) }).ToList();
        var errors = located.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
        return TypedResults.ValidationProblem(errors,
            title: "The workflow definition is invalid",
            detail: $"{located.Count} problem{(located.Count == 1 ? "" : "s")} found.",
            extensions: new Dictionary<string, object?> { ["problems"] = located });
    }

    /// <summary><c>$.nodes[0]</c> inside a request's <c>definition</c> property becomes <c>$.definition.nodes[0]</c>.</summary>
    private static string Relocate(string path, string prefix) =>
        path.StartsWith('$') ? prefix + path[1..] : $"{prefix}.{path}";
}
