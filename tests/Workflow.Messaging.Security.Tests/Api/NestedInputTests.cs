using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Api;

/// <summary>
/// The probe of issue 11: input nested 62–63 deep passed the API's depth check and then failed in
/// serialization (a 500, or an execution left running). Whatever the API accepts now runs to an
/// end; what it refuses is a 400 that says depth.
/// </summary>
public sealed class NestedInputTests(EmbeddedCoordinator host) : IClassFixture<EmbeddedCoordinator>
{
    [Theory]
    [InlineData(40)]
    [InlineData(56)]
    [InlineData(58)]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    public async Task When_input_is_nested_deep_then_the_start_is_refused_as_too_deep_or_the_execution_ends(int depth)
    {
        await host.WarmUpAsync();
        var workflowId = await StoreAsync([new { id = "pass", type = "code", parameters = new { script = "return input;" } }]);

        var response = await StartAsync(workflowId, Nested(depth));

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            (await response.Content.ReadAsStringAsync()).Should().Contain("depth");
            return;
        }
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var execution = await host.WaitForEndAsync(await IdOf(response), TimeSpan.FromMinutes(1));
        execution.GetProperty("status").GetString().Should().Be("succeeded", execution.GetRawText());
    }

    [Fact]
    public async Task When_input_at_the_depth_limit_is_accepted_then_it_runs_through_a_worker_node()
    {
        await host.WarmUpAsync();
        var workflowId = await StoreAsync([new { id = "pass", type = "code", parameters = new { script = "return input;" } }]);

        var response = await StartAsync(workflowId, Nested(48));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var execution = await host.WaitForEndAsync(await IdOf(response), TimeSpan.FromMinutes(1));
        execution.GetProperty("status").GetString().Should().Be("succeeded", execution.GetRawText());
    }

    [Fact]
    public async Task When_input_is_one_level_past_the_limit_then_the_400_names_the_input_and_the_depth()
    {
        var workflowId = await StoreAsync([new { id = "pass", type = "noop" }]);

        var response = await StartAsync(workflowId, Nested(49));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadAsStringAsync();
        problem.Should().Contain("$.input").And.Contain("maximum nesting depth of 48");
    }

    [Fact]
    public async Task When_a_template_wraps_input_past_the_depth_limit_then_the_node_fails_before_it_runs_and_the_execution_ends()
    {
        var workflowId = await StoreAsync([new { id = "wrap", type = "set", parameters = new { values = new { wrapped = "{{ $input }}" } } }]);

        var execution = await host.WaitForEndAsync(await IdOf(await StartAsync(workflowId, Nested(48))), TimeSpan.FromMinutes(1));

        execution.GetProperty("status").GetString().Should().Be("failed");
        var error = execution.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("node.input-too-deep", execution.GetRawText());
        error.GetProperty("message").GetString().Should().Contain("parameters").And.Contain("48 levels");
    }

    [Fact]
    public async Task When_a_script_returns_an_object_nested_past_the_limit_then_the_worker_fails_the_node()
    {
        await host.WarmUpAsync();
        var workflowId = await StoreAsync([new { id = "deep", type = "code", parameters = new { script = "var o = 1; for (var i = 0; i < 55; i++) o = { a: o }; return o;" } }]);

        var execution = await host.WaitForEndAsync(await IdOf(await StartAsync(workflowId, "{}")), TimeSpan.FromMinutes(1));

        execution.GetProperty("status").GetString().Should().Be("failed");
        execution.GetProperty("error").GetProperty("code").GetString().Should().Be("node.output-too-deep", execution.GetRawText());
    }

    [Fact]
    public async Task When_a_join_nests_outputs_past_the_limit_then_the_joining_node_fails_before_dispatch_and_the_execution_ends()
    {
        await host.WarmUpAsync();
        var id = $"deep-{Guid.NewGuid():N}";
        var definition = JsonSerializer.Serialize(new
        {
            id,
            nodes = new object[]
            {
                new { id = "left", type = "code", parameters = new { script = "return input;" } },
                new { id = "right", type = "code", parameters = new { script = "return input;" } },
                new { id = "join", type = "code", parameters = new { script = "return 1;" } },
            },
            connections = new[] { new { from = "left", to = "join" }, new { from = "right", to = "join" } },
        });
        (await host.CreateClient().PostAsync("/api/definitions", new StringContent(definition, Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.Created);

        var execution = await host.WaitForEndAsync(await IdOf(await StartAsync(id, Nested(48))), TimeSpan.FromMinutes(1));

        execution.GetProperty("status").GetString().Should().Be("failed");
        execution.GetProperty("failedNodeId").GetString().Should().Be("join");
        execution.GetProperty("error").GetProperty("code").GetString().Should().Be("node.input-too-deep", execution.GetRawText());
    }

    /// <summary>A value of <paramref name="depth"/> nested objects.</summary>
    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private async Task<string> StoreAsync(object[] nodes)
    {
        var id = $"deep-{Guid.NewGuid():N}";
        var definition = JsonSerializer.Serialize(new { id, nodes, connections = Array.Empty<object>() });
        var created = await host.CreateClient().PostAsync("/api/definitions", new StringContent(definition, Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        return id;
    }

    private Task<HttpResponseMessage> StartAsync(string workflowId, string input) =>
        host.CreateClient().PostAsync("/api/executions", new StringContent($"{{\"workflowId\":\"{workflowId}\",\"input\":{input}}}", Encoding.UTF8, "application/json"));

    private static async Task<Guid> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
}
