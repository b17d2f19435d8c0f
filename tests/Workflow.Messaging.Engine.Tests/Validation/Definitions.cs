using System.Text.Json;
using System.Text.RegularExpressions;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Tests.Validation;

/// <summary>Small builders for definitions, and the documented example.</summary>
internal static partial class Definitions
{
    public static NodeDefinition Node(string id, string type = "noop", string? parameters = null) =>
        new() { Id = id, Type = type, Parameters = Parameters(parameters) };

    public static ConnectionDefinition Connect(string from, string to, string output = OutputPorts.Main) =>
        new() { From = from, To = to, Output = output };

    public static WorkflowDefinition Definition(NodeDefinition[] nodes, params ConnectionDefinition[] connections) =>
        new() { Id = "test-workflow", Nodes = nodes, Connections = connections };

    /// <summary>start -> middle -> end: valid, and a base for single mistakes.</summary>
    public static WorkflowDefinition Chain() =>
        Definition([Node("start"), Node("middle"), Node("end")], Connect("start", "middle"), Connect("middle", "end"));

    public static IReadOnlyDictionary<string, JsonElement> Parameters(string? json) =>
        json is null
            ? new Dictionary<string, JsonElement>()
            : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json, WorkflowJson.Options)!;

    /// <summary>The full example of docs/definition-format.md, read from the document itself so the two cannot drift apart.</summary>
    public static string DocsExample()
    {
        var markdown = File.ReadAllText(TestData("definition-format.md"));
        var match = FullExample().Match(markdown);
        if (!match.Success)
            throw new InvalidOperationException("docs/definition-format.md has no json block after <!-- full-example -->.");
        return match.Groups["json"].Value;
    }

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "Validation", "TestData", name);

    [GeneratedRegex(@"<!-- full-example -->\s*```json\s*\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex FullExample();
}
