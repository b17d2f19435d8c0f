using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workflow.Messaging.Engine.Templates;

/// <summary>
/// Resolves <c>{{ path }}</c> templates in parameter values. A string that is exactly one
/// template takes the JSON value it names (so numbers stay numbers and objects stay objects);
/// a template inside other text is interpolated as text. Paths only, no code: expressions that
/// compute belong in a <c>code</c> node, where they are sandboxed and limited.
/// </summary>
public static partial class TemplateRenderer
{
    private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement.Clone();

    [GeneratedRegex(@"\{\{\s*(.*?)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex TemplatePattern();

    [GeneratedRegex(@"\$node\s*\.\s*([A-Za-z0-9_\-]+)|\$node\s*\[\s*[""']([^""']+)[""']\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex NodeReferencePattern();

    /// <summary>True when the value holds at least one template anywhere.</summary>
    public static bool HasTemplates(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => TemplatePattern().IsMatch(value.GetString()!),
        JsonValueKind.Object => value.EnumerateObject().Any(p => HasTemplates(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().Any(HasTemplates),
        _ => false,
    };

    /// <summary>Ids of the nodes whose outputs the templates read, so only those are loaded.</summary>
    public static IReadOnlySet<string> ReferencedNodes(IEnumerable<string> templates)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in templates)
            foreach (Match match in NodeReferencePattern().Matches(text))
                ids.Add(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
        return ids;
    }

    /// <summary>Every string in a JSON value, for <see cref="ReferencedNodes"/>.</summary>
    public static IEnumerable<string> Strings(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                yield return value.GetString()!;
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                    foreach (var text in Strings(property.Value))
                        yield return text;
                break;
            case JsonValueKind.Array:
                foreach (var element in value.EnumerateArray())
                    foreach (var text in Strings(element))
                        yield return text;
                break;
        }
    }

    /// <summary>Resolves every template in a JSON value; values without templates are returned as they are.</summary>
    public static JsonElement Render(JsonElement value, TemplateScope scope) =>
        HasTemplates(value) ? JsonSerializer.SerializeToElement(RenderNode(value, scope)) : value;

    /// <summary>Resolves one template string.</summary>
    public static JsonElement RenderString(string text, TemplateScope scope)
    {
        var matches = TemplatePattern().Matches(text);
        if (matches.Count == 0)
            return JsonSerializer.SerializeToElement(text);
        if (matches.Count == 1 && matches[0].Length == text.Length)
            return Evaluate(matches[0].Groups[1].Value, scope);

        var builder = new StringBuilder();
        var last = 0;
        foreach (Match match in matches)
        {
            builder.Append(text, last, match.Index - last);
            var resolved = Evaluate(match.Groups[1].Value, scope);
            builder.Append(resolved.ValueKind switch
            {
                JsonValueKind.String => resolved.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                _ => resolved.GetRawText(),
            });
            last = match.Index + match.Length;
        }
        builder.Append(text, last, text.Length - last);
        return JsonSerializer.SerializeToElement(builder.ToString());
    }

    private static JsonNode? RenderNode(JsonElement value, TemplateScope scope) => value.ValueKind switch
    {
        JsonValueKind.String => JsonNode.Parse(RenderString(value.GetString()!, scope).GetRawText()),
        JsonValueKind.Object => new JsonObject(value.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, RenderNode(p.Value, scope)))),
        JsonValueKind.Array => new JsonArray(value.EnumerateArray().Select(e => RenderNode(e, scope)).ToArray()),
        _ => JsonNode.Parse(value.GetRawText()),
    };

    /// <summary>Evaluates one path such as <c>$node.fetch.output.body.items[0]</c>; a missing member yields null.</summary>
    public static JsonElement Evaluate(string expression, TemplateScope scope)
    {
        var segments = TemplatePath.Parse(expression);
        var root = segments[0];
        JsonElement? current;
        var rest = 1;
        switch (root)
        {
            case "$input" or "$json":
                current = scope.Input;
                break;
            case "$item":
                current = scope.Item ?? throw new TemplateException($"'{expression}': $item is only defined inside a fan-out.");
                break;
            case "$itemIndex":
                current = scope.ItemIndex is { } index ? JsonSerializer.SerializeToElement(index) : throw new TemplateException($"'{expression}': $itemIndex is only defined inside a fan-out.");
                break;
            case "$execution":
                (current, rest) = segments.Count > 1 ? segments[1] switch
                {
                    "input" => ((JsonElement?)scope.ExecutionInput, 2),
                    "id" => (JsonSerializer.SerializeToElement(scope.ExecutionId), 2),
                    var other => throw new TemplateException($"'{expression}': $execution has 'input' and 'id', not '{other}'."),
                } : throw new TemplateException($"'{expression}': say $execution.input or $execution.id.");
                break;
            case "$workflow":
                current = segments.Count > 1 && segments[1] == "id"
                    ? JsonSerializer.SerializeToElement(scope.WorkflowId)
                    : throw new TemplateException($"'{expression}': $workflow has only 'id'.");
                rest = 2;
                break;
            case "$node":
                if (segments.Count < 3 || segments[2] != "output")
                    throw new TemplateException($"'{expression}': say $node.<id>.output.");
                current = scope.NodeOutput(segments[1]) ?? Null;
                rest = 3;
                break;
            default:
                throw new TemplateException($"'{expression}': unknown root '{root}'; use $input, $item, $itemIndex, $execution, $workflow or $node.");
        }

        foreach (var segment in segments.Skip(rest))
        {
            current = current switch
            {
                { ValueKind: JsonValueKind.Object } obj when obj.TryGetProperty(segment, out var member) => member,
                { ValueKind: JsonValueKind.Array } array when int.TryParse(segment, out var i) && i >= 0 && i < array.GetArrayLength() => array[i],
                _ => null,
            };
            if (current is null)
                return Null;
        }
        return current ?? Null;
    }
}
