using System.Net.Http.Json;
using Workflow.Messaging.Api.Tests.Infrastructure;

namespace Workflow.Messaging.Api.Tests;

/// <summary>
/// The coordinator as deployed: RabbitMQ (a virtual host of its own), the Quartz scheduler, the
/// PostgreSQL database with the bus outbox, workers embedded. The API drives an execution with a
/// retry end to end and readiness covers bus, database and scheduler.
/// </summary>
public sealed class RabbitMqFleetApiTests(RabbitMqFleetApiTests.Fleet fleet) : IClassFixture<RabbitMqFleetApiTests.Fleet>
{
    public sealed class Fleet : CoordinatorFactory
    {
        private readonly RabbitMqVirtualHost _vhost;

        public Fleet() : this(RabbitMqVirtualHost.Create()) { }

        private Fleet(RabbitMqVirtualHost vhost) : base(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = RabbitMqVirtualHost.Host,
            ["RabbitMq:Port"] = RabbitMqVirtualHost.Port,
            ["RabbitMq:User"] = RabbitMqVirtualHost.User,
            ["RabbitMq:Pass"] = RabbitMqVirtualHost.Password,
            ["RabbitMq:VHost"] = vhost.Name,
            ["Coordinator:EmbeddedWorkers"] = "true",
        }) => _vhost = vhost;

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await _vhost.DeleteAsync();
        }
    }

    private readonly HttpClient _client = fleet.CreateApiClient();

    [Fact]
    public async Task Readiness_covers_the_broker_the_database_and_the_scheduler()
    {
        var body = await _client.GetStringAsync("/health/ready");

        body.Should().Contain("\"masstransit-bus\":{\"status\":\"Healthy\"")
            .And.Contain("\"database\":{\"status\":\"Healthy\"")
            .And.Contain("\"scheduler\":{\"status\":\"Healthy\",\"description\":\"Quartz scheduler");
    }

    [Fact]
    public async Task An_execution_with_a_retry_runs_through_the_broker_and_its_stream_ends_with_the_finish()
    {
        var workflow = Workflows.Unique("rabbit");
        var definition = System.Text.Json.JsonDocument.Parse($$"""
            {
              "id": "{{workflow}}",
              "nodes": [
                { "id": "flaky", "type": "fail", "parameters": { "failTimes": 1, "retryable": true, "message": "busy" },
                  "retry": { "maxAttempts": 2, "initialDelay": "100ms" } },
                { "id": "hold", "type": "approval", "parameters": { "timeout": "1h" } }
              ],
              "connections": [ { "from": "flaky", "to": "hold" } ]
            }
            """).RootElement;
        var response = await _client.PostAsync("/api/executions", JsonContent.Create(new { definition }));
        var id = (await response.ReadJsonAsync()).GetProperty("executionId").GetGuid();
        var waiting = await _client.WaitForNodeAsync(id, "hold", "waiting");
        waiting.Node("flaky").GetProperty("instances")[0].GetProperty("attempts").GetInt32().Should().Be(2);

        using var stream = await _client.GetAsync($"/api/executions/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        (await reader.ReadLineAsync()).Should().Be("event: snapshot");
        await _client.PostAsync($"/api/executions/{id}/nodes/hold/decision", JsonContent.Create(new { approved = true }));

        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
            lines.Add(line);
        lines.Should().Contain("event: finished");
        lines.Last(l => l.StartsWith("data: ", StringComparison.Ordinal)).Should().Contain("\"status\":\"succeeded\"");
        (await _client.WaitForStatusAsync(id, "succeeded")).Node("hold").GetProperty("status").GetString().Should().Be("succeeded");
    }
}
