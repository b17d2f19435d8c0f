using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Workflow.Messaging.Cli.Remote;

/// <summary>One answer of the coordinator API: the status and the JSON body, if any.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonElement? Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public JsonElement Json => Body ?? throw new InvalidOperationException("The response has no body.");
}

/// <summary>
/// The coordinator's HTTP API as the CLI uses it: the base address and key from <c>--api</c> and
/// <c>--api-key</c> (or WF_API, WF_API_KEY), JSON in and out, Problem Details printed as one line.
/// </summary>
internal sealed class ApiClient(HttpClient http) : IDisposable
{
    public static ApiClient Create(Uri api, string? key)
    {
        var http = new HttpClient { BaseAddress = api, Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(key))
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new ApiClient(http);
    }

    public Task<ApiResponse> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    public Task<ApiResponse> PostAsync(string path, string? json, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, json, headers, cancellationToken);

    /// <summary>The open event stream; the caller reads it line by line.</summary>
    public async Task<(HttpResponseMessage Response, ApiResponse? Failure)> OpenStreamAsync(string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
            return (response, null);
        var failure = await ReadAsync(response, cancellationToken);
        response.Dispose();
        return (response, failure);
    }

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.Add(name, value);
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    private static async Task<ApiResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement? body = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                body = JsonSerializer.SerializeToElement(text);
            }
        }
        return new ApiResponse(response.StatusCode, body);
    }

    public void Dispose() => http.Dispose();
}
