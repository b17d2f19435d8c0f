using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Workflow.Messaging.Security.Tests.Infrastructure;

/// <summary>
/// The real coordinator host in its embedded mode (in-memory transport and saga, workers in the
/// same process): a probe that could take a process down would take the test run with it.
/// </summary>
public class EmbeddedCoordinator : WebApplicationFactory<Coordinator.CoordinatorOptions>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Api:RequireApiKey"] = "false",
        ["Persistence:Provider"] = "Memory",
        ["Logging:LogLevel:Default"] = "Warning",
        // Generous, so that on a loaded machine each probe meets its own limit before the clock.
        ["Nodes:Code:Timeout"] = "00:00:20",
        ["Nodes:MaxOutputBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private Task? _warmUp;

    protected void Set(string key, string? value) => _settings[key] = value;

    /// <summary>Starts the host and runs one code node, so timings measure the probe, not start-up and JIT.</summary>
    public Task WarmUpAsync() => _warmUp ??= WarmUp();

    private async Task WarmUp()
    {
        var execution = await WaitForEndAsync(await StartSingleNodeAsync("code", new { script = "return /a/.test('a');" }), TimeSpan.FromMinutes(1));
        execution.GetProperty("status").GetString().Should().Be("succeeded", execution.GetRawText());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (name, value) in _settings)
            builder.UseSetting(name, value);
    }

    /// <summary>Creates a one-node workflow and starts it; returns the execution id.</summary>
    public Task<Guid> StartSingleNodeAsync(string type, object parameters, object? input = null) =>
        StartWorkflowAsync([new { id = "probe", type, parameters, retry = new { maxAttempts = 1 } }], [], input);

    /// <summary>Stores a workflow of these nodes and connections under a fresh id and starts it; returns the execution id.</summary>
    public async Task<Guid> StartWorkflowAsync(object[] nodes, object[] connections, object? input = null)
    {
        var client = CreateClient();
        var id = $"probe-{Guid.NewGuid():N}";
        var definition = JsonSerializer.Serialize(new { id, nodes, connections });
        var created = await client.PostAsync("/api/definitions", new StringContent(definition, Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var started = await client.PostAsJsonAsync("/api/executions", new { workflowId = id, input = input ?? new { } });
        started.StatusCode.Should().Be(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        return (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
    }

    /// <summary>Reads the execution until <paramref name="condition"/> holds for it; fails with its last state after <paramref name="patience"/>.</summary>
    public async Task<JsonElement> WaitUntilAsync(Guid executionId, Func<JsonElement, bool> condition, TimeSpan patience)
    {
        var client = CreateClient();
        var deadline = DateTime.UtcNow + patience;
        var last = "(not found)";
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync($"/api/executions/{executionId}?outputs=false");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (condition(body))
                    return body;
                last = body.GetRawText();
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"Execution {executionId} did not reach the awaited state within {patience}; last seen: {last}");
    }

    /// <summary>Reads the execution until it has finished; fails with its last state after <paramref name="patience"/>.</summary>
    public async Task<JsonElement> WaitForEndAsync(Guid executionId, TimeSpan patience)
    {
        var client = CreateClient();
        var deadline = DateTime.UtcNow + patience;
        var last = "(not found)";
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync($"/api/executions/{executionId}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (body.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled" or "timedOut" or "rejected")
                    return body;
                last = body.GetRawText();
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"Execution {executionId} did not finish within {patience}; last seen: {last}");
    }
}
