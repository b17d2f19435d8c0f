using System.Net;
using System.Net.Http.Json;
using Workflow.Messaging.Api.Tests.Infrastructure;
using static Workflow.Messaging.Api.Tests.Infrastructure.ApiCalls;

namespace Workflow.Messaging.Api.Tests;

public sealed class ExecutionApiTests(CoordinatorFactory factory) : IClassFixture<CoordinatorFactory>
{
    private readonly HttpClient _client = factory.CreateApiClient();

    [Fact]
    public async Task Starting_a_stored_workflow_answers_202_and_the_status_url_shows_nodes_and_outputs()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id));

        var response = await _client.PostAsync("/api/executions", JsonContent.Create(new { workflowId = id, input = new { name = "Ada" } }));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var accepted = await response.ReadJsonAsync();
        var executionId = accepted.GetProperty("executionId").GetGuid();
        accepted.GetProperty("statusUrl").GetString().Should().Be($"/api/executions/{executionId}");
        response.Headers.Location!.ToString().Should().Be($"/api/executions/{executionId}");
        var execution = await _client.WaitForStatusAsync(executionId, "succeeded");
        execution.GetProperty("workflowId").GetString().Should().Be(id);
        execution.GetProperty("input").GetProperty("name").GetString().Should().Be("Ada");
        var shout = execution.Node("shout");
        shout.GetProperty("type").GetString().Should().Be("set");
        shout.GetProperty("status").GetString().Should().Be("succeeded");
        shout.GetProperty("output").GetProperty("loud").GetString().Should().Be("Hello Ada!");
        var instance = shout.GetProperty("instances")[0];
        instance.GetProperty("attempts").GetInt32().Should().Be(1);
        instance.TryGetProperty("startedAt", out _).Should().BeTrue();
        execution.TryGetProperty("finishedAt", out _).Should().BeTrue();
        var withoutOutputs = await (await _client.GetAsync($"/api/executions/{executionId}?outputs=false")).ReadJsonAsync();
        withoutOutputs.Node("shout").TryGetProperty("output", out _).Should().BeFalse();
        withoutOutputs.Node("shout").GetProperty("status").GetString().Should().Be("succeeded");
    }

    [Fact]
    public async Task A_fan_out_status_counts_its_succeeded_items_and_joins_their_outputs_in_item_order()
    {
        var id = Workflows.Unique("fan");
        await _client.CreateDefinitionAsync($$$"""
            {
              "id": "{{{id}}}",
              "settings": { "maxParallelNodes": 4 },
              "nodes": [
                { "id": "each", "type": "set", "fanOut": { "items": "{{ $input.numbers }}" }, "parameters": { "values": { "n": "{{ $item }}" } } }
              ]
            }
            """);

        var executionId = await _client.StartAsync(id, new { numbers = Enumerable.Range(0, 30).ToArray() });

        var each = (await _client.WaitForStatusAsync(executionId, "succeeded")).Node("each");
        each.GetProperty("itemCount").GetInt32().Should().Be(30);
        each.GetProperty("itemsStarted").GetInt32().Should().Be(30);
        each.GetProperty("itemsSucceeded").GetInt32().Should().Be(30);
        each.GetProperty("instances").GetArrayLength().Should().Be(0, "succeeded items are counted, not listed");
        each.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("n").GetInt32()).Should().Equal(Enumerable.Range(0, 30));
    }

    [Fact]
    public async Task A_start_that_reuses_an_idempotency_key_with_another_input_is_422_and_the_first_execution_stays()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id));
        var key = $"order-{Guid.NewGuid():N}";
        var first = await _client.StartAsync(id, new { name = "a" }, key);
        await _client.WaitForStatusAsync(first, "succeeded");

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/executions") { Content = JsonContent.Create(new { workflowId = id, input = new { name = "b" } }) };
        request.Headers.Add("Idempotency-Key", key);
        var reused = await _client.SendAsync(request);

        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await reused.Content.ReadAsStringAsync()).Should().Contain(first.ToString());
        var execution = await (await _client.GetAsync($"/api/executions/{first}")).ReadJsonAsync();
        execution.GetProperty("input").GetProperty("name").GetString().Should().Be("a");
    }

    [Fact]
    public async Task A_repeated_start_with_the_same_idempotency_key_returns_the_same_execution()
    {
        var id = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(id));
        var key = $"order-{Guid.NewGuid():N}";

        var first = await _client.StartAsync(id, new { name = "a" }, key);
        await _client.WaitForStatusAsync(first, "succeeded");
        var second = await _client.StartAsync(id, new { name = "a" }, key);
        var other = await _client.StartAsync(id, new { name = "a" }, key + "-other");

        second.Should().Be(first);
        other.Should().NotBe(first);
        await _client.WaitForStatusAsync(other, "succeeded");
        var list = await (await _client.GetAsync($"/api/executions?workflowId={id}")).ReadJsonAsync();
        list.GetProperty("total").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task An_inline_definition_runs_without_being_stored()
    {
        var id = Workflows.Unique("inline");
        var definition = System.Text.Json.JsonDocument.Parse(Workflows.Greeting(id)).RootElement;

        var response = await _client.PostAsync("/api/executions", JsonContent.Create(new { definition, input = new { name = "Bo" } }));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var execution = await _client.WaitForStatusAsync((await response.ReadJsonAsync()).GetProperty("executionId").GetGuid(), "succeeded");
        execution.Node("shout").GetProperty("output").GetProperty("loud").GetString().Should().Be("Hello Bo!");
        (await _client.GetAsync($"/api/definitions/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invalid_inline_definition_is_refused_with_paths_inside_the_request()
    {
        var definition = System.Text.Json.JsonDocument.Parse(Workflows.Invalid("bad")).RootElement;

        var response = await _client.PostAsync("/api/executions", JsonContent.Create(new { definition }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problems = (await response.ReadJsonAsync()).GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("path").GetString()).ToList();
        problems.Should().Contain("$.definition.nodes[0].type");
    }

    [Theory]
    [InlineData("{ \"workflowId\": ", "Malformed JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{}", "workflowId")]
    [InlineData("{ \"workflowId\": \"no-such-workflow\" }", "No stored workflow 'no-such-workflow'")]
    [InlineData("{ \"workflowId\": \"x\", \"version\": 0 }", "1 or more")]
    [InlineData("{ \"workflowId\": \"x\", \"surprise\": true }", "surprise")]
    [InlineData("{ \"workflowId\": 42 }", "workflowId")]
    public async Task Bad_start_requests_are_refused_with_a_clear_400(string body, string expected)
    {
        var response = await _client.PostAsync("/api/executions", Json(body));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain(expected);
    }

    [Fact]
    public async Task An_unknown_execution_is_not_found_for_reads_streams_and_commands()
    {
        var unknown = Guid.NewGuid();

        (await _client.GetAsync($"/api/executions/{unknown}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync($"/api/executions/{unknown}/events")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreach (var command in new[] { "pause", "resume", "cancel", "retry" })
            (await _client.PostAsync($"/api/executions/{unknown}/{command}", null)).StatusCode.Should().Be(HttpStatusCode.NotFound, command);
        (await _client.PostAsync($"/api/executions/{unknown}/nodes/hold/decision", JsonContent.Create(new { approved = true })))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _client.GetAsync("/api/executions/not-a-guid")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_filters_by_workflow_and_status_and_pages_newest_first()
    {
        var greet = Workflows.Unique("greet");
        var fails = Workflows.Unique("fails");
        await _client.CreateDefinitionAsync(Workflows.Greeting(greet));
        await _client.CreateDefinitionAsync(Workflows.FailsOnce(fails));
        var started = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            started.Add(await _client.StartAsync(greet, new { name = i }));
            await _client.WaitForStatusAsync(started[^1], "succeeded");
        }
        var failed = await _client.StartAsync(fails);
        await _client.WaitForStatusAsync(failed, "failed");

        var firstPage = await (await _client.GetAsync($"/api/executions?workflowId={greet}&pageSize=2")).ReadJsonAsync();
        var secondPage = await (await _client.GetAsync($"/api/executions?workflowId={greet}&pageSize=2&page=2")).ReadJsonAsync();
        var failedOnly = await (await _client.GetAsync($"/api/executions?status=failed,cancelled&workflowId={fails}")).ReadJsonAsync();
        var succeededOfFails = await (await _client.GetAsync($"/api/executions?status=succeeded&workflowId={fails}")).ReadJsonAsync();

        firstPage.GetProperty("total").GetInt32().Should().Be(3);
        var ids = firstPage.GetProperty("items").EnumerateArray().Concat(secondPage.GetProperty("items").EnumerateArray())
            .Select(e => e.GetProperty("id").GetGuid()).ToList();
        ids.Should().Equal(started[2], started[1], started[0]);
        failedOnly.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).Should().Equal(failed);
        succeededOfFails.GetProperty("total").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task The_list_filters_by_time_range()
    {
        var greet = Workflows.Unique("greet");
        await _client.CreateDefinitionAsync(Workflows.Greeting(greet));
        var id = await _client.StartAsync(greet, new { name = "t" });
        var created = (await _client.WaitForStatusAsync(id, "succeeded")).GetProperty("createdAt").GetDateTime();

        string Range(DateTime from, DateTime to) =>
            $"/api/executions?workflowId={greet}&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        var inside = await (await _client.GetAsync(Range(created.AddSeconds(-1), created.AddSeconds(1)))).ReadJsonAsync();
        var before = await (await _client.GetAsync(Range(created.AddHours(-2), created.AddHours(-1)))).ReadJsonAsync();

        inside.GetProperty("total").GetInt32().Should().Be(1);
        before.GetProperty("total").GetInt32().Should().Be(0);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=100000", "pageSize")]
    [InlineData("status=sleeping", "Unknown status 'sleeping'")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "after")]
    public async Task Bad_list_queries_are_refused(string query, string expected)
    {
        var response = await _client.GetAsync($"/api/executions?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(expected);
    }
}
