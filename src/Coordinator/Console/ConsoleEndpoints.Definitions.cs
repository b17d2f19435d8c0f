using Workflow.Messaging.Coordinator.Console.Components;
using Workflow.Messaging.Coordinator.Console.Layout;
using Workflow.Messaging.Coordinator.Console.Model;
using Workflow.Messaging.Coordinator.Definitions;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Validation;

namespace Workflow.Messaging.Coordinator.Console;

// Definitions: the list, one version's graph, and the editor's preview of a definition with its problems on the graph.
public static partial class ConsoleEndpoints
{
    public static async Task<IResult> DefinitionsAsync(IWorkflowDefinitionStore store, CancellationToken cancellationToken)
    {
        var list = await Api.DefinitionEndpoints.ListAsync(store, cancellationToken);
        return Page<DefinitionsPage>(new { Model = new DefinitionListModel(list.Value!) });
    }

    public static async Task<IResult> DefinitionAsync(string id, IWorkflowDefinitionStore store, ConsoleLinks links, INodeTypeCatalog catalog,
        CancellationToken cancellationToken, int? version = null)
    {
        var definition = await store.FindAsync(id, version, cancellationToken);
        if (definition is null)
            return Page<NotFoundPage>(new { What = $"No workflow definition '{id}'{(version is { } v ? $" version {v}" : "")}." }, StatusCodes.Status404NotFound);
        var versions = (await store.ListAsync(cancellationToken)).Where(d => d.Id == id).Select(d => d.Version).Order().ToList();
        var svg = SvgGraph.Render(LayeredLayout.Compute(GraphSource.From(definition)));
        return Page<DefinitionPage>(new { Model = new DefinitionPageModel(definition, versions, svg, Pools(definition, links, catalog)) });
    }

    /// <summary>
    /// The editor's preview: the text read by the same reader as <c>POST /api/definitions/validate</c>,
    /// drawn from whatever parsed, with each problem on its node. The editor shows it after a
    /// validation and after an upload the API refused.
    /// </summary>
    public static async Task<IResult> PreviewAsync(HttpRequest request, INodeTypeCatalog catalog, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var read = DefinitionReader.Read(text, catalog);
        var source = read.IsValid ? GraphSource.From(read.Definition) : GraphSource.FromJson(text);
        var (byNode, elsewhere) = ProblemPlacement.Place(text, source, read.Problems);
        var svg = SvgGraph.Render(LayeredLayout.Compute(source), new SvgDecorations
        {
            StateOf = node => byNode.ContainsKey(node) ? "failed" : "succeeded",
            ProblemsOf = node => byNode.TryGetValue(node, out var problems) ? problems.Select(p => $"{p.Message} ({p.Code})").ToList() : [],
        });
        return Page<DefinitionPreview>(new
        {
            Model = new DefinitionPreviewModel
            {
                Valid = read.IsValid,
                GraphSvg = svg,
                ByNode = byNode,
                Elsewhere = elsewhere,
            },
        });
    }
}
