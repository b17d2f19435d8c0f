using System.Net;
using System.Net.Http.Json;
using Workflow.Messaging.Api.Tests.Infrastructure;
using static Workflow.Messaging.Api.Tests.Infrastructure.ApiCalls;

namespace Workflow.Messaging.Api.Tests;

/// <summary>A coordinator that refuses starts once one execution is queued, and sweeps often so it notices quickly.</summary>
public sealed class BackpressureCoordinatorFactory() : CoordinatorFactory(new Dictionary<string, string?>
{
    ["Admission:MaxQueuedExecutions"] = "1",
    ["Admission:RetryAfter"] = "00:00:07",
    ["Admission:SweepInterval"] = "00:00:00.200",
});

public sealed class AdmissionApiTests(BackpressureCoordinatorFactory factory) : IClassFixture<BackpressureCoordinatorFactory>
{
    private readonly HttpClient _client = factory.CreateApiClient();

    private static string OneAtATime(string id) => Workflows.Approval(id).Replace("\"nodes\":", "\"settings\": { \"maxConcurrentExecutions\": 1 },\n  \"nodes\":");

    [Fact]
    public async Task When_a_limit_is_full_then_the_next_start_shows_queued_with_what_it_waits_for_and_past_the_backlog_bound_a_start_gets_429()
    {
        var id = Workflows.Unique("one-at-a-time");
        await _client.CreateDefinitionAsync(OneAtATime(id));
        var running = await _client.StartAsync(id);
        await _client.WaitForNodeAsync(running, "hold", "waiting");

        var queued = await _client.StartAsync(id);
        var execution = await _client.WaitForStatusAsync(queued, "queued");
        execution.GetProperty("waitingFor").EnumerateArray().Select(e => e.GetString()).Should().Equal($"workflow:{id}");

        // The bound is read from the sweeper's last count: starts are accepted until it has seen the queued one.
        HttpResponseMessage refused;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            refused = await _client.PostAsync("/api/executions", JsonContent.Create(new { workflowId = id }));
            if (refused.StatusCode == HttpStatusCode.Accepted)
                await Task.Delay(100);
        }
        while (refused.StatusCode == HttpStatusCode.Accepted && DateTime.UtcNow < deadline);

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
        (await refused.ReadJsonAsync()).GetProperty("detail").GetString().Should().Contain("queued");

        (await _client.PostAsync($"/api/executions/{running}/nodes/hold/decision", JsonContent.Create(new { approved = true }))).StatusCode
            .Should().Be(HttpStatusCode.Accepted);
        await _client.WaitForStatusAsync(running, "succeeded");
        var admitted = await _client.WaitForNodeAsync(queued, "hold", "waiting");
        admitted.GetProperty("status").GetString().Should().Be("running");
        admitted.TryGetProperty("waitingFor", out _).Should().BeFalse("it holds its slot now");
    }
}
