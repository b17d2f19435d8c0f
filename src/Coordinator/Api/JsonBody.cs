using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// Reads a request body as a JSON document ourselves, where the API needs the raw text (definitions
/// keep their JSON paths) or a clearer 400 than model binding gives for malformed JSON.
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    public static async Task<(JsonDocument? Document, ValidationProblem? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
            return (null, ApiProblems.Invalid("$", "The request body is empty; a JSON object is expected."));
        try
        {
            var document = JsonDocument.Parse(text, Options);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return (document, null);
            document.Dispose();
            return (null, ApiProblems.Invalid("$", "The request body must be a JSON object."));
        }
        catch (JsonException e) when (e.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            // Said plainly: "malformed" would send the sender looking for a syntax error that is not there.
            return (null, ApiProblems.Invalid("$", $"The JSON is nested deeper than the maximum depth of {Options.MaxDepth} (line {e.LineNumber + 1})."));
        }
        catch (JsonException e)
        {
            return (null, ApiProblems.Invalid("$", $"Malformed JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}."));
        }
    }
}
