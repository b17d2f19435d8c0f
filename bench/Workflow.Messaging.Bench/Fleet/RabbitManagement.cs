using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Workflow.Messaging.Bench.Fleet;

/// <summary>The parts of the RabbitMQ management API the bench uses: its own virtual host, message counts, error queues.</summary>
internal sealed class RabbitManagement : IDisposable
{
    private readonly HttpClient _http;

    public RabbitManagement()
    {
        _http = new HttpClient(new RetryingHandler { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = LocalServices.RabbitMqManagement,
            Timeout = TimeSpan.FromSeconds(60),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{LocalServices.RabbitMqUser}:{LocalServices.RabbitMqPassword}")));
    }

    /// <summary>A fresh virtual host, so other users of the broker neither disturb the counts nor see the bench's queues.</summary>
    public async Task RecreateVirtualHostAsync(string name, CancellationToken cancellation)
    {
        using (await _http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(name)}", cancellation)) { }
        using (var created = await _http.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", null, cancellation))
            created.EnsureSuccessStatusCode();
        var permissions = JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" });
        using var granted = await _http.PutAsync($"api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(LocalServices.RabbitMqUser)}", permissions, cancellation);
        granted.EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHostAsync(string name, CancellationToken cancellation)
    {
        using (await _http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(name)}", cancellation)) { }
    }

    /// <summary>Queues of the virtual host with their ready and unacknowledged message counts.</summary>
    public async Task<IReadOnlyList<QueueDepth>> QueuesAsync(string virtualHost, CancellationToken cancellation)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}", cancellation));
        return document.RootElement.EnumerateArray()
            .Select(q => new QueueDepth(
                q.GetProperty("name").GetString()!,
                Number(q, "messages"),
                Number(q, "messages_unacknowledged"),
                Number(q, "consumers")))
            .ToList();
    }

    private static long Number(JsonElement queue, string property) =>
        queue.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    /// <summary>Peeks at up to <paramref name="count"/> messages of a queue without consuming them.</summary>
    public async Task<IReadOnlyList<string>> PeekAsync(string virtualHost, string queue, int count, CancellationToken cancellation)
    {
        var request = JsonContent.Create(new { count, ackmode = "ack_requeue_true", encoding = "auto", truncate = 2000 });
        using var response = await _http.PostAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}/get", request, cancellation);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
        return document.RootElement.EnumerateArray().Select(m => m.GetProperty("payload").GetString() ?? "").ToList();
    }

    /// <summary>Each channel of the virtual host with the messages it has published since it opened.</summary>
    public async Task<IReadOnlyList<(string Channel, long Published)>> ChannelPublishCountsAsync(string virtualHost, CancellationToken cancellation)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync($"api/vhosts/{Uri.EscapeDataString(virtualHost)}/channels?columns=name,message_stats.publish", cancellation));
        return document.RootElement.EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString()!,
                c.TryGetProperty("message_stats", out var stats) && stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty("publish", out var publish)
                    ? publish.GetInt64()
                    : 0L))
            .ToList();
    }

    /// <summary>Consumers of a queue, 0 while it does not exist yet.</summary>
    public async Task<int> ConsumersAsync(string virtualHost, string queue, CancellationToken cancellation)
    {
        using var response = await _http.GetAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}", cancellation);
        if (!response.IsSuccessStatusCode)
            return 0;
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
        return document.RootElement.TryGetProperty("consumers", out var consumers) && consumers.ValueKind == JsonValueKind.Number ? consumers.GetInt32() : 0;
    }

    public void Dispose() => _http.Dispose();

    // The management listener goes away for seconds whenever someone re-enables the plugin or
    // restarts the broker; a measurement should wait for it rather than fail.
    private sealed class RetryingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await base.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException) when (attempt < 20 && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500 * Math.Min(attempt, 4)), cancellationToken);
                }
            }
        }
    }
}

internal sealed record QueueDepth(string Name, long Messages, long Unacknowledged = 0, long Consumers = 0);
