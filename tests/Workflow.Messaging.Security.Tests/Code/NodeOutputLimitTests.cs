using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Code;

/// <summary>A node whose output passes Nodes:MaxOutputBytes fails on the worker, before anything is published or stored.</summary>
public sealed class NodeOutputLimitTests(EmbeddedCoordinator host) : IClassFixture<EmbeddedCoordinator>
{
    [Fact]
    public async Task An_output_past_the_limit_fails_the_node_fatally_and_names_the_limit()
    {
        await host.WarmUpAsync();

        var execution = await host.WaitForEndAsync(
            await host.StartSingleNodeAsync("code", new { script = "return 'x'.repeat(2 * 1024 * 1024);" }), TimeSpan.FromMinutes(1));

        execution.GetProperty("status").GetString().Should().Be("failed");
        var error = execution.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("node.output-too-large", execution.GetRawText());
        error.GetProperty("kind").GetString().Should().Be("fatal");
        error.GetProperty("message").GetString().Should().Contain("Nodes:MaxOutputBytes").And.Contain("1048576");
        execution.GetRawText().Length.Should().BeLessThan(64 * 1024, "the output was never stored");
    }

    [Fact]
    public async Task An_output_within_the_limit_is_stored()
    {
        await host.WarmUpAsync();

        var execution = await host.WaitForEndAsync(
            await host.StartSingleNodeAsync("code", new { script = "return 'x'.repeat(512 * 1024);" }), TimeSpan.FromMinutes(1));

        execution.GetProperty("status").GetString().Should().Be("succeeded", execution.GetRawText());
        execution.GetProperty("nodes")[0].GetProperty("output").GetString()!.Length.Should().Be(512 * 1024);
    }
}
