using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.Messaging.Api.Tests.Infrastructure;

namespace Workflow.Messaging.Api.Tests;

/// <summary>
/// Status reads include outputs only up to Api:MaxStatusOutputBytes (here 30 characters, so the
/// greeting's first output fits and its second does not); the rest are read per node. On
/// PostgreSQL, where sizes are read without the outputs.
/// </summary>
public sealed class NodeOutputReadTests(NodeOutputReadTests.SmallBudgetFactory factory) : IClassFixture<NodeOutputReadTests.SmallBudgetFactory>
{
    public sealed class SmallBudgetFactory() : CoordinatorFactory(new Dictionary<string, string?> { ["Api:MaxStatusOutputBytes"] = "30" });

    private readonly HttpClient _client = factory.CreateApiClient();

    [Fact]
    public async Task When_outputs_pass_the_status_budget_then_the_rest_are_marked_and_read_from_their_own_url()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id));
        var executionId = await _client.StartAsync(id, new { name = "Ada" });

        var execution = await _client.WaitForStatusAsync(executionId, "succeeded");

        execution.Node("hello").GetProperty("output").GetProperty("text").GetString().Should().Be("Hello Ada");
        execution.Node("hello").TryGetProperty("outputOmitted", out _).Should().BeFalse();
        var shout = execution.Node("shout");
        shout.TryGetProperty("output", out _).Should().BeFalse();
        shout.GetProperty("outputOmitted").GetBoolean().Should().BeTrue();
        var output = await _client.GetFromJsonAsync<JsonElement>(shout.GetProperty("outputUrl").GetString());
        output.GetProperty("loud").GetString().Should().Be("Hello Ada!");
    }

    [Fact]
    public async Task When_a_node_has_no_output_or_the_execution_is_unknown_then_the_output_read_is_404()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id));
        var executionId = await _client.StartAsync(id, new { name = "Ada" });
        await _client.WaitForStatusAsync(executionId, "succeeded");

        (await _client.GetAsync($"/api/executions/{executionId}/nodes/nobody/output")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync($"/api/executions/{Guid.NewGuid()}/nodes/hello/output")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task When_a_stream_opens_on_a_finished_execution_then_the_finished_event_names_the_outputs_it_left_out()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id));
        var executionId = await _client.StartAsync(id, new { name = "Ada" });
        await _client.WaitForStatusAsync(executionId, "succeeded");

        var text = await _client.GetStringAsync($"/api/executions/{executionId}/events");

        // shout is the end node; 21 characters fit the budget on their own.
        text.Should().Contain("event: finished").And.Contain("Hello Ada!").And.NotContain("omittedOutputs");
    }
}
