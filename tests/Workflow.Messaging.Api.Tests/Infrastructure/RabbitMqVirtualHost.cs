using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Workflow.Messaging.Api.Tests.Infrastructure;

/// <summary>
/// A RabbitMQ virtual host of its own (management API, WF_RABBITMQ_* settings with loopback
/// defaults), so a coordinator under test shares no queue with other tests on the same broker.
/// </summary>
public sealed class RabbitMqVirtualHost
{
    public static string Host => Setting("WF_RABBITMQ_HOST", "127.0.0.1");
    public static string Port => Setting("WF_RABBITMQ_PORT", "5672");
    public static string User => Setting("WF_RABBITMQ_USER", "guest");
    public static string Password => Setting("WF_RABBITMQ_PASS", "guest");
    private static Uri Management => new(Setting("WF_RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672"));

    private RabbitMqVirtualHost(string name) => Name = name;

    public string Name { get; }

    public static RabbitMqVirtualHost Create()
    {
        var vhost = new RabbitMqVirtualHost($"wf-api-{Guid.NewGuid():N}"[..19]);
        using var http = Client();
        http.PutAsync($"api/vhosts/{vhost.Name}", null).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        http.PutAsJsonAsync($"api/permissions/{vhost.Name}/{Uri.EscapeDataString(User)}", new { configure = ".*", write = ".*", read = ".*" })
            .GetAwaiter().GetResult().EnsureSuccessStatusCode();
        return vhost;
    }

    public async Task DeleteAsync()
    {
        using var http = Client();
        using var response = await http.DeleteAsync($"api/vhosts/{Name}");
        if (response.StatusCode != HttpStatusCode.NotFound)
            response.EnsureSuccessStatusCode();
    }

    private static HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = Management, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return http;
    }

    private static string Setting(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
