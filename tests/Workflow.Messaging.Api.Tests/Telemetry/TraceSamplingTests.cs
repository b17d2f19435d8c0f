using System.Text;
using Workflow.Messaging.Api.Tests.Infrastructure;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>Runs alone: a span is recorded when any tracer provider in the process samples it, so another host's would interfere.</summary>
[CollectionDefinition(nameof(TraceSamplingTests), DisableParallelization = true)]
public sealed class TraceSamplingCollection;

[Collection(nameof(TraceSamplingTests))]
public sealed class TraceSamplingTests
{
    [Fact]
    public async Task With_a_sample_ratio_of_zero_an_execution_leaves_no_spans_but_its_metrics_are_exported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var coordinator = new TelemetryExportTests.ExportingCoordinator(receiver.Endpoint, sampleRatio: 0);
        var client = coordinator.CreateApiClient();
        var workflow = Workflows.Unique("unsampled");
        var id = await SeqExportTests.StartFailingOnceAsync(client, workflow);
        await client.WaitForStatusAsync(id, "succeeded");

        // Spans are batched every 100 ms, metrics every 300 ms: one metrics export after the first
        // that counts the execution as finished, any span recorded while it ran would be out too.
        var finishedAt = await Eventually.FindAsync(() =>
        {
            var bodies = receiver.Bodies("metrics").Select(Encoding.UTF8.GetString).ToList();
            var index = bodies.FindIndex(text => text.Contains("workflow.executions.finished", StringComparison.Ordinal) && text.Contains(workflow, StringComparison.Ordinal));
            return index < 0 ? null : (object)index;
        });
        await Eventually.FindAsync(() => receiver.Bodies("metrics").Count > (int)finishedAt + 1 ? receiver : null);
        OtlpData.Spans(receiver.Bodies("traces")).Should().NotContain(s => s.Attributes.GetValueOrDefault("ExecutionId") == id.ToString(),
            "the root span (the API request) was not sampled, and every later span follows its parent");
    }

}
