using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Api;

/// <summary>
/// An Idempotency-Key names one request (IETF idempotency-key draft): the same request again gets
/// the same execution, another request under the same key gets 422, both while the first start is
/// in flight and after its execution exists.
/// </summary>
public sealed class IdempotencyKeyTests(EmbeddedCoordinator host) : IClassFixture<EmbeddedCoordinator>
{
    [Fact]
    public async Task When_a_key_is_reused_with_a_different_input_then_the_answer_is_422_and_no_execution_changes()
    {
        var workflowId = await StoreWorkflowAsync();
        var key = $"key-{Guid.NewGuid():N}";

        var first = await StartAsync(key, new { workflowId, input = new { amount = 10 } });
        var reused = await StartAsync(key, new { workflowId, input = new { amount = 10_000 } });

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        reused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await reused.Content.ReadAsStringAsync()).Should().Contain("Idempotency-Key").And.Contain(key).And.Contain("different request");
        var execution = await host.WaitForEndAsync(await ExecutionIdAsync(first), TimeSpan.FromMinutes(1));
        execution.GetProperty("input").GetProperty("amount").GetInt32().Should().Be(10);
    }

    [Fact]
    public async Task When_a_key_is_reused_with_another_request_after_the_execution_ended_then_the_answer_is_422()
    {
        var workflowId = await StoreWorkflowAsync();
        var other = await StoreWorkflowAsync();
        var key = $"key-{Guid.NewGuid():N}";
        var first = await StartAsync(key, new { workflowId, input = new { amount = 1 } });
        await host.WaitForEndAsync(await ExecutionIdAsync(first), TimeSpan.FromMinutes(1));

        var otherWorkflow = await StartAsync(key, new { workflowId = other, input = new { amount = 1 } });
        var otherRequester = await StartAsync(key, new { workflowId, input = new { amount = 1 }, requestedBy = "someone-else" });

        otherWorkflow.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        otherRequester.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task When_the_same_request_is_repeated_with_its_key_then_it_gets_the_same_execution()
    {
        var workflowId = await StoreWorkflowAsync();
        var key = $"key-{Guid.NewGuid():N}";

        var first = await StartAsync(key, new { workflowId, input = new { amount = 5, currency = "EUR" } });
        var inFlight = await StartAsync(key, new { workflowId, input = new { amount = 5, currency = "EUR" } });
        var id = await ExecutionIdAsync(first);
        await host.WaitForEndAsync(id, TimeSpan.FromMinutes(1));
        // Whitespace is not part of the request's meaning.
        var afterEnd = await host.CreateClient().SendAsync(Request(key, $"{{ \"workflowId\" : \"{workflowId}\",\n \"input\": {{\"amount\":5,  \"currency\":\"EUR\"}} }}"));

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        inFlight.StatusCode.Should().Be(HttpStatusCode.Accepted);
        afterEnd.StatusCode.Should().Be(HttpStatusCode.Accepted, await afterEnd.Content.ReadAsStringAsync());
        (await ExecutionIdAsync(inFlight)).Should().Be(id);
        (await ExecutionIdAsync(afterEnd)).Should().Be(id);
    }

    [Fact]
    public async Task When_a_refused_request_is_corrected_then_its_key_can_still_be_used()
    {
        var workflowId = await StoreWorkflowAsync();
        var key = $"key-{Guid.NewGuid():N}";

        var refused = await StartAsync(key, new { workflowId = "no-such-workflow", input = new { amount = 1 } });
        var corrected = await StartAsync(key, new { workflowId, input = new { amount = 1 } });

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        corrected.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    private async Task<string> StoreWorkflowAsync()
    {
        var id = $"idem-{Guid.NewGuid():N}";
        var definition = JsonSerializer.Serialize(new { id, nodes = new[] { new { id = "a", type = "noop" } }, connections = Array.Empty<object>() });
        var created = await host.CreateClient().PostAsync("/api/definitions", new StringContent(definition, Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        return id;
    }

    private Task<HttpResponseMessage> StartAsync(string key, object body) => host.CreateClient().SendAsync(Request(key, JsonSerializer.Serialize(body)));

    private static HttpRequestMessage Request(string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/executions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<Guid> ExecutionIdAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetGuid();
}
