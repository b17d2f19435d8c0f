using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Api;

/// <summary>Reads a caller can make arbitrarily large stay bounded: list offsets and the series on /metrics.</summary>
public sealed partial class PagingAndMetricsTests(EmbeddedCoordinator host) : IClassFixture<EmbeddedCoordinator>
{
    [Theory]
    [InlineData("page=2147483647")]
    [InlineData("page=2147483647&pageSize=200")]
    [InlineData("page=5002&pageSize=200")]
    public async Task When_a_page_starts_past_the_deepest_offset_then_the_answer_is_a_400_naming_page(string query)
    {
        var response = await host.CreateClient().GetAsync($"/api/executions?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadAsStringAsync();
        problem.Should().Contain("\"page\"").And.Contain("1000000");
    }

    [Fact]
    public async Task When_a_page_is_deep_but_addressable_then_it_is_an_empty_page()
    {
        var response = await host.CreateClient().GetAsync("/api/executions?page=5000&pageSize=200");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var list = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        list.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task When_the_console_is_asked_for_page_2147483647_then_it_shows_a_page()
    {
        var response = await host.CreateClient().GetAsync("/ui/executions?page=2147483647");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_executions_of_many_workflow_ids_ran_then_metrics_carry_at_most_the_bounded_set_of_ids()
    {
        var started = new List<Guid>();
        for (var i = 0; i < 110; i++)
            started.Add(await host.StartSingleNodeAsync("noop", new { }));
        foreach (var id in started)
            await host.WaitForEndAsync(id, TimeSpan.FromMinutes(1));

        var ids = await MetricWorkflowIdsAsync(ids => ids.Contains("(other)"));

        ids.Should().Contain("(other)");
        ids.Count.Should().BeLessThanOrEqualTo(102, "100 ids, (other) and (none) at most");
    }

    private async Task<HashSet<string>> MetricWorkflowIdsAsync(Func<HashSet<string>, bool> until)
    {
        var client = host.CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HashSet<string> ids;
        do
        {
            var text = await client.GetStringAsync("/metrics");
            ids = WorkflowIdLabel().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            if (until(ids))
                return ids;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return ids;
    }

    [GeneratedRegex("WorkflowId=\"([^\"]*)\"")]
    private static partial Regex WorkflowIdLabel();
}
