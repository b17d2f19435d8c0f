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
    public static string Host => LocalServices.RabbitMqHost;
    public static string Port => LocalServices.RabbitMqPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public static string User => LocalServices.RabbitMqUser;
    public static string Password => LocalServices.RabbitMqPassword;

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
        var http = new HttpClient { BaseAddress = LocalServices.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return http;
    }
}
