using System.Net;
using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes.Http;

/// <summary>
/// Sends one HTTP request; outputs <c>{status, headers, body}</c>. Transient answers (408, 429,
/// 5xx, timeouts, connection errors) are retryable, other 4xx are fatal. Redirects are returned,
/// not followed, so a redirect cannot lead past the host allow-list. Every connection passes the
/// <see cref="EgressPolicy"/>; header names and values and the URL may not carry CR, LF or NUL;
/// credentials in a URL never appear in an error.
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
        var shown = Redact(url);
        EnsureAllowed(url);
        using var request = BuildRequest(context, url);
        var timeout = DurationParameter.Read(context, "timeout") ?? options.Value.DefaultTimeout;

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            // Headers only: the body is read below as a stream, under the size cap.
            using var response = await clients.CreateClient(HttpNodeOptions.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            var (output, text) = await ReadResponse(response, shown, options.Value.MaxResponseBytes, timeoutSource.Token);
            ThrowOnErrorStatus(response.StatusCode, shown, text);
            return NodeResult.Main(output);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw NodeExecutionException.Retryable($"{request.Method} {shown} did not answer within {timeout}.", "http.timeout", e);
        }
        catch (HttpRequestException e) when (e.InnerException is EgressDeniedException denied)
        {
            throw NodeExecutionException.Fatal($"{request.Method} {shown} refused: {denied.Message}", "http.egress-denied");
        }
        catch (HttpRequestException e)
        {
            // The handler's message can quote the URL it was given; only the redacted one is shown.
            throw NodeExecutionException.Retryable($"{request.Method} {shown} failed: {e.Message.Replace(url.OriginalString, shown, StringComparison.Ordinal)}", "http.connection");
        }
    }

    private static Uri ReadUrl(string? text)
    {
        if (text is not null && text.AsSpan().IndexOfAny(ForbiddenCharacters) >= 0)
            throw NodeExecutionException.Fatal("The URL contains CR, LF or NUL.", "http.invalid-url");
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            return url;
        throw NodeExecutionException.Fatal($"'{(text is null ? null : Redact(text))}' is not an absolute http(s) URL.", "http.invalid-url");
    }

    private const string ForbiddenCharacters = "\r\n\0";

    // Headers the client owns: overriding them would let a definition reshape the request itself
    // (the host it is routed as, its framing).
    private static readonly string[] ReservedHeaders = ["Host", "Content-Length", "Transfer-Encoding", "Connection"];

    /// <summary>The URL as errors and logs may show it: user info (credentials) replaced by <c>***</c>.</summary>
    public static string Redact(Uri url) =>
        url.UserInfo.Length == 0 ? url.ToString() : new UriBuilder(url) { UserName = "***", Password = "" }.Uri.ToString();

    private static string Redact(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) ? Redact(url)
        : text.IndexOf('@') is var at and > 0 && text.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 && scheme < at
            ? text[..(scheme + 3)] + "***" + text[at..]
            : text;

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
                if (header.Name.AsSpan().IndexOfAny(ForbiddenCharacters) >= 0 || value.AsSpan().IndexOfAny(ForbiddenCharacters) >= 0)
                    throw NodeExecutionException.Fatal($"Header '{header.Name.ReplaceLineEndings(" ")}' contains CR, LF or NUL.", "http.invalid-header");
                if (ReservedHeaders.Contains(header.Name, StringComparer.OrdinalIgnoreCase))
                    throw NodeExecutionException.Fatal($"Header '{header.Name}' is set by the client and cannot be given.", "http.invalid-header");
                if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    contentType = value;
                else if (!request.Headers.TryAddWithoutValidation(header.Name, value))
                    throw NodeExecutionException.Fatal($"Header '{header.Name}' is not a valid request header.", "http.invalid-header");
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

    private static async Task<(JsonElement Output, string Body)> ReadResponse(HttpResponseMessage response, string shown, long maxBytes, CancellationToken cancellationToken)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            headers[name.ToLowerInvariant()] = string.Join(", ", values);

        var text = await ResponseBody.ReadAsync(response, shown, maxBytes, cancellationToken);
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

    private static void ThrowOnErrorStatus(HttpStatusCode status, string url, string body)
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
