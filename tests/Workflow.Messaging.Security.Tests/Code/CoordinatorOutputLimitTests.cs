using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Code;

/// <summary>
/// The coordinator checks Nodes:MaxOutputBytes itself before it stores an output: a worker of
/// another version (or with a larger limit) that publishes an oversize result, and an inline node
/// that builds one, fail their node with the same fatal error, and the node's onError decides.
/// </summary>
public sealed class CoordinatorOutputLimitTests(EmbeddedCoordinator host) : IClassFixture<EmbeddedCoordinator>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task When_a_worker_publishes_an_oversize_output_then_the_node_fails_fatally_and_the_execution_fails()
    {
        var executionId = await StartUnservedNodeAsync(onError: "stopWorkflow");

        await PublishOversizeResultAsync(executionId);

        var execution = await host.WaitForEndAsync(executionId, Patience);
        execution.GetProperty("status").GetString().Should().Be("failed", execution.GetRawText());
        execution.GetProperty("failedNodeId").GetString().Should().Be("rogue");
        var error = execution.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("node.output-too-large");
        error.GetProperty("kind").GetString().Should().Be("fatal");
        error.GetProperty("message").GetString().Should().Contain("Nodes:MaxOutputBytes").And.Contain("1048576");
        execution.GetRawText().Length.Should().BeLessThan(64 * 1024, "the oversize output was never stored");
    }

    [Fact]
    public async Task When_a_worker_publishes_an_oversize_output_under_continueRegularOutput_then_the_execution_goes_on_and_succeeds()
    {
        var executionId = await StartUnservedNodeAsync(onError: "continueRegularOutput");

        await PublishOversizeResultAsync(executionId);

        var execution = await host.WaitForEndAsync(executionId, Patience);
        execution.GetProperty("status").GetString().Should().Be("succeeded", execution.GetRawText());
        var nodes = execution.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        nodes["rogue"].GetProperty("status").GetString().Should().Be("failed");
        nodes["rogue"].GetProperty("error").GetProperty("code").GetString().Should().Be("node.output-too-large");
        nodes["after"].GetProperty("status").GetString().Should().Be("succeeded");
        execution.GetRawText().Length.Should().BeLessThan(64 * 1024);
    }

    [Fact]
    public async Task When_an_inline_node_builds_an_oversize_output_then_it_fails_with_the_limit_named()
    {
        // The input fits the request limit; the set node that copies it three times does not fit the output limit.
        var executionId = await host.StartWorkflowAsync(
            [new { id = "copies", type = "set", parameters = new { values = new { a = "{{ $input.a }}", b = "{{ $input.a }}", c = "{{ $input.a }}" } } }],
            [], input: new { a = new string('x', 400 * 1024) });

        var execution = await host.WaitForEndAsync(executionId, Patience);

        execution.GetProperty("status").GetString().Should().Be("failed", execution.GetRawText().Length < 4096 ? execution.GetRawText() : "");
        execution.GetProperty("error").GetProperty("code").GetString().Should().Be("node.output-too-large");
    }

    // A node on a pool no worker consumes stays running until the test answers for a worker.
    private async Task<Guid> StartUnservedNodeAsync(string onError)
    {
        await host.WarmUpAsync();
        var executionId = await host.StartWorkflowAsync(
            [
                new { id = "rogue", type = "delay", pool = "unserved", onError, parameters = new { duration = "1s" } } as object,
                new { id = "after", type = "set", parameters = new { values = new { done = true } } },
            ],
            [new { from = "rogue", to = "after" }]);
        await host.WaitUntilAsync(executionId, e => NodeStatus(e, "rogue") == "running", Patience);
        return executionId;
    }

    private async Task PublishOversizeResultAsync(Guid executionId)
    {
        var output = JsonSerializer.SerializeToElement(new string('x', 2 * 1024 * 1024));
        await host.Services.GetRequiredService<IBus>().Publish(new NodeSucceeded
        {
            ExecutionId = executionId, NodeId = "rogue", Attempt = 1, Output = output, Ports = ["main"], WorkerId = "worker-without-a-limit",
        });
    }

    // Null until the node is listed: an execution whose start is not stored yet lists no nodes.
    private static string? NodeStatus(JsonElement execution, string nodeId) =>
        execution.GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("id").GetString() == nodeId)
            .Select(n => n.GetProperty("status").GetString())
            .FirstOrDefault();
}
