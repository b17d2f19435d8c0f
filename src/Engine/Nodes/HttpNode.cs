using System.Net;
using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes;

/// <summary>
/// Sends one HTTP request; outputs <c>{status, headers, body}</c>. Transient answers (408, 429,
/// 5xx, timeouts, connection errors) are retryable, other 4xx are fatal. Redirects are returned,
/// not followed, so a redirect cannot lead past the host allow-list.
/// </summary>
public sealed class HttpNode(IHttpClientFactory clients, IOptions<HttpNodeOptions> options) : INodeExecutor
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int ErrorBodyExcerpt = 300;

    public NodeTypeDescriptor Descriptor { get; } = new()
    {
        Type = BuiltInNodeTypes.Http,
        RequiredParameters = ["url"],
        ValidateParameters = Validate,
    };

    public async Task<NodeResult> ExecuteAsync(NodeExecutionContext context, CancellationToken cancellationToken)
    {
        var url = ReadUrl(context.GetString("url"));
        EnsureAllowed(url);
        using var request = BuildRequest(context, url);
        var timeout = DurationParameter.Read(context, "timeout") ?? options.Value.DefaultTimeout;

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var response = await clients.CreateClient(HttpNodeOptions.ClientName).SendAsync(request, timeoutSource.Token);
            var (output, text) = await ReadResponse(response, timeoutSource.Token);
            ThrowOnErrorStatus(response.StatusCode, url, text);
            return NodeResult.Main(output);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw NodeExecutionException.Retryable($"{request.Method} {url} did not answer within {timeout}.", "http.timeout", e);
        }
        catch (HttpRequestException e)
        {
            throw NodeExecutionException.Retryable($"{request.Method} {url} failed: {e.Message}", "http.connection", e);
        }
    }

    private static Uri ReadUrl(string? text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            return url;
        throw NodeExecutionException.Fatal($"'{text}' is not an absolute http(s) URL.", "http.invalid-url");
    }

    private void EnsureAllowed(Uri url)
    {
        var allowed = options.Value.AllowedHosts;
        if (allowed.Count == 0 || allowed.Any(pattern => HostMatches(pattern, url.Host)))
            return;
        throw NodeExecutionException.Fatal(
            $"Host '{url.Host}' is not in the allowed hosts of the http node (Nodes:Http:AllowedHosts).", "http.host-not-allowed");
    }

    private static bool HostMatches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);

    private static HttpRequestMessage BuildRequest(NodeExecutionContext context, Uri url)
    {
        var method = new HttpMethod((context.GetString("method") ?? "GET").ToUpperInvariant());
        var request = new HttpRequestMessage(method, url);
        string? contentType = null;
        if (context.GetParameter("headers") is { ValueKind: JsonValueKind.Object } headers)
        {
            foreach (var header in headers.EnumerateObject())
            {
                var value = JsonValues.ToText(header.Value) ?? "";
                if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    contentType = value;
                else
                    request.Headers.TryAddWithoutValidation(header.Name, value);
            }
        }
        if (!request.Headers.Contains(IdempotencyKeyHeader))
            request.Headers.Add(IdempotencyKeyHeader, context.IdempotencyKey);

        var body = context.GetParameter("body");
        if (!JsonValues.IsNullOrAbsent(body))
        {
            var (text, defaultType) = body!.Value.ValueKind == JsonValueKind.String
                ? (body.Value.GetString()!, MediaTypeNames.Text.Plain)
                : (body.Value.GetRawText(), MediaTypeNames.Application.Json);
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? defaultType);
        }
        return request;
    }

    private static async Task<(JsonElement Output, string Body)> ReadResponse(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            headers[name.ToLowerInvariant()] = string.Join(", ", values);

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var output = JsonValues.ToElement(new JsonObject
        {
            ["status"] = (int)response.StatusCode,
            ["headers"] = headers,
            ["body"] = ParseBody(text, response.Content.Headers.ContentType?.MediaType),
        });
        return (output, text);
    }

    private static JsonNode? ParseBody(string text, string? mediaType)
    {
        if (text.Length == 0)
            return null;
        var isJson = mediaType is not null
            && (mediaType.Equals(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
                || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson)
            return JsonValue.Create(text);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // A server that labels non-JSON as JSON should not fail the node: keep the text.
            return JsonValue.Create(text);
        }
    }

    private static void ThrowOnErrorStatus(HttpStatusCode status, Uri url, string body)
    {
        var code = (int)status;
        if (code < 400)
            return;
        // The start of the body usually says what the server disliked; the rest would bloat the error.
        var excerpt = body.Length > ErrorBodyExcerpt ? body[..ErrorBodyExcerpt] + "…" : body;
        var message = excerpt.Length == 0 ? $"{url} answered {code} {status}." : $"{url} answered {code} {status}: {excerpt}";
        var errorCode = $"http.status.{code}";
        throw code is 408 or 429 or >= 500
            ? NodeExecutionException.Retryable(message, errorCode)
            : NodeExecutionException.Fatal(message, errorCode);
    }

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private static IEnumerable<ParameterProblem> Validate(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (parameters.TryGetValue("url", out var url) && !JsonValues.IsTemplate(url)
            && !(Uri.TryCreate(JsonValues.ToText(url), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return new ParameterProblem("url", "must be an absolute http or https URL");
        if (parameters.TryGetValue("method", out var method) && !JsonValues.IsTemplate(method)
            && !Methods.Contains(JsonValues.ToText(method)?.ToUpperInvariant() ?? ""))
            yield return new ParameterProblem("method", $"must be one of {string.Join(", ", Methods)}");
        if (parameters.TryGetValue("headers", out var headers) && headers.ValueKind != JsonValueKind.Object)
            yield return new ParameterProblem("headers", "must be an object of header names to values");
        foreach (var problem in DurationParameter.Validate(parameters, "timeout"))
            yield return problem;
    }
}
