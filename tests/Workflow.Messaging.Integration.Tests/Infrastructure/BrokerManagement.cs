using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflow.Messaging.Integration.Tests.Infrastructure;

/// <summary>
/// RabbitMQ's management HTTP API for what a bus does not offer: a virtual host per test run, queue
/// publishing raw bytes and reading a message's headers; rabbitmqctl for live queue consumers and to
/// restart the broker.
/// </summary>
internal sealed class BrokerManagement : IDisposable
{
    private readonly HttpClient _http;

    public BrokerManagement()
    {
        _http = new HttpClient { BaseAddress = LocalServices.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(15) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{LocalServices.RabbitMqUser}:{LocalServices.RabbitMqPassword}"));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
    }

    public async Task CreateVirtualHost(string vhost)
    {
        (await _http.PutAsync($"api/vhosts/{Escape(vhost)}", null)).EnsureSuccessStatusCode();
        var permissions = new { configure = ".*", write = ".*", read = ".*" };
        (await _http.PutAsJsonAsync($"api/permissions/{Escape(vhost)}/{Escape(LocalServices.RabbitMqUser)}", permissions)).EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHost(string vhost)
    {
        using var response = await _http.DeleteAsync($"api/vhosts/{Escape(vhost)}");
        if (response.StatusCode != HttpStatusCode.NotFound)
            response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Consumers of a queue right now (0 while it does not exist), from the broker itself: the management
    /// statistics lag seconds behind a consumer that just came or went.
    /// </summary>
    public static async Task<int> Consumers(string vhost, string queue)
    {
        var output = await RabbitMqCtl("list_queues", "-p", vhost, "name", "consumers", "--no-table-headers");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(columns => columns.Length == 2 && columns[0] == queue)
            .Select(columns => int.Parse(columns[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();
    }

    /// <summary>Messages ready in a queue right now (0 while it does not exist), from the broker itself.</summary>
    public static async Task<long> MessagesReady(string vhost, string queue)
    {
        var output = await RabbitMqCtl("list_queues", "-p", vhost, "name", "messages_ready", "--no-table-headers");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(columns => columns.Length == 2 && columns[0] == queue)
            .Select(columns => long.Parse(columns[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();
    }

    /// <summary>Publishes raw bytes to a queue through the default exchange, as a foreign or broken producer would.</summary>
    public async Task PublishRaw(string vhost, string queue, string payload, string contentType)
    {
        var request = new
        {
            properties = new { content_type = contentType, delivery_mode = 2 },
            routing_key = queue,
            payload,
            payload_encoding = "string",
        };
        using var response = await _http.PostAsJsonAsync($"api/exchanges/{Escape(vhost)}/amq.default/publish", request);
        response.EnsureSuccessStatusCode();
        var routed = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("routed").GetBoolean();
        if (!routed)
            throw new InvalidOperationException($"Queue {queue} does not exist in {vhost}.");
    }

    /// <summary>Takes one message off a queue (acknowledging it), or null when the queue is empty.</summary>
    public async Task<QueuedMessage?> Take(string vhost, string queue)
    {
        var request = new { count = 1, ackmode = "ack_requeue_false", encoding = "auto" };
        using var response = await _http.PostAsJsonAsync($"api/queues/{Escape(vhost)}/{Escape(queue)}/get", request);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadFromJsonAsync<List<QueuedMessage>>();
        return messages is { Count: > 0 } ? messages[0] : null;
    }

    /// <summary>Stops and starts the broker application (the Erlang node stays): every connection drops.</summary>
    public static async Task RestartBroker()
    {
        await RabbitMqCtl("stop_app");
        await RabbitMqCtl("start_app");
        await RabbitMqCtl("await_startup");
    }

    private static async Task<string> RabbitMqCtl(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", ["-q", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        return output;
    }

    public void Dispose() => _http.Dispose();

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}

internal sealed record QueuedMessage
{
    [JsonPropertyName("payload")]
    public string Payload { get; init; } = "";

    [JsonPropertyName("properties")]
    public QueuedMessageProperties Properties { get; init; } = new();
}

internal sealed record QueuedMessageProperties
{
    [JsonPropertyName("headers")]
    public Dictionary<string, JsonElement> Headers { get; init; } = [];
}
