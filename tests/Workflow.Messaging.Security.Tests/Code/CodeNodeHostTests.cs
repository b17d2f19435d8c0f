using System.Diagnostics;
using System.Text.Json;
using Workflow.Messaging.Security.Tests.Infrastructure;

namespace Workflow.Messaging.Security.Tests.Code;

/// <summary>
/// The probes through the real coordinator host, whose embedded workers run code nodes in the
/// same process as the API: each execution fails with the node's error, and the host (and this
/// test run) lives on to run the next workflow.
/// </summary>
public sealed class CodeNodeHostTests(EmbeddedCoordinator host) : IClassFixture<EmbeddedCoordinator>
{
    [Theory]
    [MemberData(nameof(CodeNodeProbes.All), MemberType = typeof(CodeNodeProbes))]
    public async Task Probe_fails_its_execution_and_the_host_keeps_serving(string script, string expectedCode)
    {
        await host.WarmUpAsync();
        var clock = Stopwatch.StartNew();

        object parameters = CodeNodeProbes.TimeoutFor(expectedCode) is { } timeout ? new { script, timeout = $"{timeout.TotalSeconds}s" } : new { script };
        var execution = await host.WaitForEndAsync(await host.StartSingleNodeAsync("code", parameters), TimeSpan.FromMinutes(1));

        execution.GetProperty("status").GetString().Should().Be("failed");
        var error = execution.GetProperty("error");
        error.GetProperty("kind").GetString().Should().Be("fatal");
        error.GetProperty("code").GetString().Should().Be(expectedCode, execution.GetRawText());
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the host's limit is 20 s");
        var healthy = await host.WaitForEndAsync(await host.StartSingleNodeAsync("code", new { script = "return input.n + 1;" }, new { n = 41 }), TimeSpan.FromSeconds(30));
        healthy.GetProperty("status").GetString().Should().Be("succeeded", healthy.GetRawText());
        healthy.GetProperty("nodes")[0].GetProperty("output").GetInt32().Should().Be(42);
    }
}
