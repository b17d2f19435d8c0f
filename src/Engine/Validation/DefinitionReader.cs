using System.Buffers;
using System.Text;
using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>
/// Reads a definition from JSON in three stages, each run only when the one before passed:
/// size, then shape (every wrong type, missing or unknown property at once, with its path),
/// then meaning (<see cref="DefinitionValidator"/>). Never throws for bad input.
/// </summary>
public static class DefinitionReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    public static DefinitionReadResult Read(string json, INodeTypeCatalog catalog, DefinitionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        limits ??= DefinitionLimits.Default;
        if (string.IsNullOrWhiteSpace(json))
            return Rejected(DefinitionPath.Root, DefinitionProblemCodes.MalformedJson, "The document is empty.");

        // The character count bounds the byte count from below, so most oversized input is refused without a pass over it.
        if (json.Length > limits.MaxBytes || Encoding.UTF8.GetByteCount(json) > limits.MaxBytes)
            return Rejected(DefinitionPath.Root, DefinitionProblemCodes.DefinitionTooLarge, $"The document is larger than {limits.MaxBytes} bytes.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Rejected(DefinitionPath.Root, DefinitionProblemCodes.MalformedJson, DescribeSyntaxError(e));
        }
        catch (ArgumentException e)
        {
            return Rejected(DefinitionPath.Root, DefinitionProblemCodes.MalformedJson, $"The document is not valid text: {e.Message}");
        }

        using (document)
        {
            var problems = new ProblemCollector(limits.MaxProblems);
            ShapeWalker.Walk(document.RootElement, DefinitionShape.Workflow, DefinitionPath.Root, problems);
            if (problems.Count > 0)
                return new DefinitionReadResult { Problems = problems.ToList() };

            WorkflowDefinition? definition;
            try
            {
                definition = Deserialize(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or OverflowException or FormatException)
            {
                // The shape check should have caught it; this keeps a gap between the two from escaping as an exception.
                var path = e is JsonException { Path: { } at } ? at : DefinitionPath.Root;
                return Rejected(path, DefinitionProblemCodes.InvalidValue, e.Message);
            }
            if (definition is null)
                return Rejected(DefinitionPath.Root, DefinitionProblemCodes.WrongType, "Expected an object, found null.");

            return new DefinitionReadResult
            {
                Definition = definition,
                Problems = DefinitionValidator.Validate(definition, catalog, limits, measureSerializedSize: false),
            };
        }
    }

    private static WorkflowDefinition? Deserialize(JsonElement root)
    {
        static bool IsSchema(JsonProperty property) =>
            string.Equals(property.Name, DefinitionShape.SchemaProperty, StringComparison.OrdinalIgnoreCase);
        if (!root.EnumerateObject().Any(IsSchema))
            return root.Deserialize<WorkflowDefinition>(WorkflowJson.Options);

        // The contracts refuse unknown members, and "$schema" only serves editors: copy the document without it.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject().Where(p => !IsSchema(p)))
                property.WriteTo(writer);
            writer.WriteEndObject();
        }
        return JsonSerializer.Deserialize<WorkflowDefinition>(buffer.WrittenSpan, WorkflowJson.Options);
    }

    private static string DescribeSyntaxError(JsonException e)
    {
        // The reader's message ends with its own zero-based location; say it once, counted from 1.
        var message = e.Message;
        var location = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (location >= 0)
            message = message[..location];
        return e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? $"Malformed JSON at line {line + 1}, position {position + 1}: {message}"
            : $"Malformed JSON: {message}";
    }

    private static DefinitionReadResult Rejected(string path, string code, string message) =>
        new() { Problems = [new DefinitionProblem { Path = path, Code = code, Message = message }] };
}
