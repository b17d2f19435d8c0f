using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Workflow.Messaging.Api.Tests.Infrastructure;

/// <summary>Calls the tests make over and over, and waiting for an execution's state by reading it until it matches.</summary>
public static class ApiCalls
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task CreateDefinitionAsync(this HttpClient client, string json)
    {
        var response = await client.PostAsync("/api/definitions", Json(json));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static async Task<Guid> StartAsync(this HttpClient client, string workflowId, object? input = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/executions")
        {
            Content = JsonContent.Create(new { workflowId, input }),
        };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("executionId").GetGuid();
    }

    /// <summary>Reads the execution until <paramref name="condition"/> holds; fails with its last state after the patience runs out.</summary>
    public static async Task<JsonElement> WaitForAsync(this HttpClient client, Guid id, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        var last = "(not found)";
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync($"/api/executions/{id}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = await response.ReadJsonAsync();
                if (condition(body))
                    return body;
                last = body.GetRawText();
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"Execution {id} never got to {what}; last seen: {last}");
    }

    /// <summary>Stores an approval workflow (<see cref="Workflows.Approval"/>) and starts it; returns once its node <c>hold</c> waits for a decision.</summary>
    public static async Task<Guid> StartWaitingForApprovalAsync(this HttpClient client, string prefix)
    {
        var workflow = Workflows.Unique(prefix);
        await client.CreateDefinitionAsync(Workflows.Approval(workflow));
        var id = await client.StartAsync(workflow);
        await client.WaitForNodeAsync(id, "hold", "waiting");
        return id;
    }

    public static Task<JsonElement> WaitForStatusAsync(this HttpClient client, Guid id, string status) =>
        client.WaitForAsync(id, e => e.GetProperty("status").GetString() == status, $"status {status}");

    public static Task<JsonElement> WaitForNodeAsync(this HttpClient client, Guid id, string nodeId, string status) =>
        client.WaitForAsync(id, e => e.GetProperty("nodes").EnumerateArray()
            .Any(n => n.GetProperty("id").GetString() == nodeId && n.GetProperty("status").GetString() == status), $"node {nodeId} {status}");

    public static JsonElement Node(this JsonElement execution, string nodeId) =>
        execution.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == nodeId);
}
