using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Api.Tests.Infrastructure;
using Workflow.Messaging.Coordinator.Api.Progress;

namespace Workflow.Messaging.Api.Tests;

public sealed class ExecutionControlApiTests(CoordinatorFactory factory) : IClassFixture<CoordinatorFactory>
{
    private readonly HttpClient _client = factory.CreateApiClient();

    private Task<Guid> StartWaitingAsync() => _client.StartWaitingForApprovalAsync("approve");

    [Fact]
    public async Task Pause_then_resume_then_cancel_moves_the_execution_through_those_states()
    {
        var id = await StartWaitingAsync();

        var pause = await _client.PostAsync($"/api/executions/{id}/pause", null);
        pause.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await _client.WaitForStatusAsync(id, "paused");
        (await _client.PostAsync($"/api/executions/{id}/pause", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await _client.PostAsync($"/api/executions/{id}/resume", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await _client.WaitForStatusAsync(id, "running");

        var cancel = await _client.PostAsync($"/api/executions/{id}/cancel", JsonContent.Create(new { reason = "not needed any more" }));
        cancel.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var cancelled = await _client.WaitForStatusAsync(id, "cancelled");
        cancelled.GetProperty("error").GetString().Should().Be("not needed any more");
        cancelled.Node("hold").GetProperty("status").GetString().Should().Be("cancelled");
    }

    [Fact]
    public async Task Retry_reruns_a_failed_execution_from_its_failed_node()
    {
        var workflow = Workflows.Unique("fails");
        await _client.CreateDefinitionAsync(Workflows.FailsOnce(workflow));
        var id = await _client.StartAsync(workflow);
        var failed = await _client.WaitForStatusAsync(id, "failed");
        failed.GetProperty("failedNodeId").GetString().Should().Be("flaky");
        failed.Node("flaky").GetProperty("error").GetProperty("message").GetString().Should().Be("first attempt fails");
        (await _client.PostAsync($"/api/executions/{id}/resume", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await _client.PostAsync($"/api/executions/{id}/retry", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);

        var succeeded = await _client.WaitForStatusAsync(id, "succeeded");
        succeeded.Node("flaky").GetProperty("instances")[0].GetProperty("attempts").GetInt32().Should().Be(2);
    }

    [Theory]
    [InlineData(true, "done")]
    [InlineData(false, "refused")]
    public async Task A_decision_continues_the_approval_on_its_port(bool approved, string reached)
    {
        var id = await StartWaitingAsync();

        var response = await _client.PostAsync($"/api/executions/{id}/nodes/hold/decision",
            JsonContent.Create(new { approved, decidedBy = "manager", comment = "ok" }));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var execution = await _client.WaitForStatusAsync(id, "succeeded");
        execution.Node(reached).GetProperty("status").GetString().Should().Be("succeeded");
        execution.Node("hold").GetProperty("output").GetProperty("decidedBy").GetString().Should().Be("manager");
    }

    [Fact]
    public async Task Decisions_are_refused_for_nodes_that_do_not_wait_and_without_an_answer()
    {
        var id = await StartWaitingAsync();

        (await _client.PostAsync($"/api/executions/{id}/nodes/hold/decision", JsonContent.Create(new { comment = "?" })))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _client.PostAsync($"/api/executions/{id}/nodes/done/decision", JsonContent.Create(new { approved = true })))
            .StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await _client.PostAsync($"/api/executions/{id}/nodes/ghost/decision", JsonContent.Create(new { approved = true })))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_event_stream_sends_a_snapshot_then_progress_then_the_finish()
    {
        var id = await StartWaitingAsync();
        using var stream = await _client.GetAsync($"/api/executions/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        stream.StatusCode.Should().Be(HttpStatusCode.OK);
        stream.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        var events = ReadEventsAsync(await stream.Content.ReadAsStreamAsync());

        var hub = factory.Services.GetRequiredService<ExecutionProgressHub>();
        (await NextAsync(events)).Name.Should().Be("snapshot");
        hub.Count(id).Should().Be(1);
        await _client.PostAsync($"/api/executions/{id}/nodes/hold/decision", JsonContent.Create(new { approved = true }));

        var received = new List<(string Name, JsonElement Data)>();
        do
            received.Add(await NextAsync(events));
        while (received[^1].Name != "finished");

        received.Where(e => e.Name == "progress").SelectMany(e => e.Data.GetProperty("transitions").EnumerateArray())
            .Should().Contain(t => t.GetProperty("nodeId").GetString() == "done" && t.GetProperty("status").GetString() == "succeeded");
        received[^1].Data.GetProperty("status").GetString().Should().Be("succeeded");
        (await events.MoveNextAsync()).Should().BeFalse("the stream ends after the finish");
    }

    [Fact]
    public async Task The_event_stream_of_a_finished_execution_is_its_snapshot_and_its_finish()
    {
        var workflow = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(workflow));
        var id = await _client.StartAsync(workflow, new { name = "x" });
        await _client.WaitForStatusAsync(id, "succeeded");

        var text = await _client.GetStringAsync($"/api/executions/{id}/events");

        var events = text.Split("\n").Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).ToList();
        events.Should().Equal("event: snapshot", "event: finished");
        text.Should().Contain("\"nodeId\":\"shout\",\"status\":\"succeeded\"").And.Contain("\"outputs\":{\"shout\":{\"loud\":\"Hello x!\"}}");
    }

    private static async Task<(string Name, JsonElement Data)> NextAsync(IAsyncEnumerator<(string Name, JsonElement Data)> events)
    {
        var next = events.MoveNextAsync().AsTask();
        (await next.WaitAsync(TimeSpan.FromSeconds(20))).Should().BeTrue("the stream should go on until the finish");
        return events.Current;
    }

    private static async IAsyncEnumerator<(string Name, JsonElement Data)> ReadEventsAsync(Stream body)
    {
        using var reader = new StreamReader(body);
        string? name = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
                yield return (name, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
        }
    }
}
