using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Api;

/// <summary>
/// The probe of issue 11: ten event streams on an execution with large outputs each loaded every
/// output. Streams now load none while the execution runs, status reads stay within
/// Api:MaxStatusOutputBytes (1 MiB), and a large output is read on its own.
/// </summary>
public sealed class StatusReadCostTests(CountingOutputsCoordinator host) : IClassFixture<CountingOutputsCoordinator>
{
    private const int Large = 700 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task When_ten_streams_open_on_a_running_execution_with_large_outputs_then_no_output_is_loaded()
    {
        var id = await StartHeldExecutionAsync();
        host.Outputs.Reset();

        var snapshots = new List<string>();
        var streams = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            var stream = await host.CreateClient().GetAsync($"/api/executions/{id}/events", HttpCompletionOption.ResponseHeadersRead);
            streams.Add(stream);
            snapshots.Add(await FirstEventAsync(stream));
        }

        host.Outputs.LoadedCharacters.Should().Be(0);
        snapshots.Should().AllSatisfy(s =>
        {
            s.Should().StartWith("event: snapshot").And.Contain("\"hold\"");
            s.Length.Should().BeLessThan(4096);
        });
        streams.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task When_outputs_exceed_the_status_budget_then_the_status_leaves_the_rest_out_and_each_is_read_per_node()
    {
        var id = await StartHeldExecutionAsync();
        host.Outputs.Reset();

        var status = await host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/executions/{id}");

        host.Outputs.LoadedCharacters.Should().BeLessThanOrEqualTo(1024 * 1024, "only what fits the budget is loaded");
        var nodes = status.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        nodes["first"].GetProperty("output").GetString()!.Length.Should().Be(Large);
        nodes["second"].TryGetProperty("output", out _).Should().BeFalse();
        nodes["second"].GetProperty("outputOmitted").GetBoolean().Should().BeTrue();
        var url = nodes["second"].GetProperty("outputUrl").GetString()!;
        url.Should().Be($"/api/executions/{id}/nodes/second/output");

        var second = await host.CreateClient().GetFromJsonAsync<JsonElement>(url);
        second.GetString()!.Length.Should().Be(Large);
        (await host.CreateClient().GetAsync($"/api/executions/{id}/nodes/hold/output")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task When_a_stream_opens_on_a_finished_execution_then_only_its_end_nodes_outputs_are_loaded()
    {
        var id = await StartHeldExecutionAsync();
        await host.Services.GetRequiredService<IBus>().Publish(new NodeSucceeded
        {
            ExecutionId = id, NodeId = "hold", Attempt = 1, Output = JsonSerializer.SerializeToElement(new { done = true }), Ports = ["main"], WorkerId = "test",
        });
        await host.WaitForEndAsync(id, Patience);
        host.Outputs.Reset();

        var text = await host.CreateClient().GetStringAsync($"/api/executions/{id}/events");

        text.Should().Contain("event: finished").And.Contain("\"done\":true");
        text.Length.Should().BeLessThan(8192);
        host.Outputs.LoadedCharacters.Should().BeLessThan(100);
    }

    // Two code nodes with 700 KiB outputs feed a node on a pool no worker consumes, which holds the execution running.
    private async Task<Guid> StartHeldExecutionAsync()
    {
        await host.WarmUpAsync();
        var id = await host.StartWorkflowAsync(
            [
                new { id = "first", type = "code", parameters = new { script = $"return 'a'.repeat({Large});" } } as object,
                new { id = "second", type = "code", parameters = new { script = $"return 'b'.repeat({Large});" } },
                new { id = "hold", type = "delay", pool = "unserved", parameters = new { duration = "1s" } },
            ],
            [new { from = "first", to = "hold" }, new { from = "second", to = "hold" }]);
        await host.WaitUntilAsync(id, e => e.GetProperty("nodes").EnumerateArray()
            .Any(n => n.GetProperty("id").GetString() == "hold" && n.GetProperty("status").GetString() == "running"), Patience);
        return id;
    }

    private static async Task<string> FirstEventAsync(HttpResponseMessage stream)
    {
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { Length: > 0 } line)
            lines.Add(line);
        return string.Join("\n", lines);
    }
}
