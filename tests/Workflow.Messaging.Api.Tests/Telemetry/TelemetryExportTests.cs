using System.Text;
using Workflow.Messaging.Api.Tests.Infrastructure;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>
/// One execution through the real coordinator host with OTLP export to a loopback receiver: its
/// spans and metrics must arrive carrying its ids, and the worker's node span must descend from
/// the coordinator's execution step across the bus. Logs go to Seq through Serilog instead
/// (<see cref="SeqExportTests"/>).
/// </summary>
public sealed class TelemetryExportTests
{
    private sealed class ExportingCoordinator(Uri endpoint) : CoordinatorFactory(new Dictionary<string, string?>
    {
        ["Telemetry:OtlpEndpoint"] = endpoint.ToString(),
        ["Telemetry:SeqApiKey"] = "seq-test-key",
        ["Telemetry:BatchExportDelay"] = "00:00:00.100",
        ["Telemetry:MetricExportInterval"] = "00:00:00.300",
        ["Telemetry:ServiceName"] = "coordinator-under-test",
    });

    [Fact]
    public async Task One_executions_spans_and_metrics_reach_the_otlp_endpoint_with_its_ids()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var coordinator = new ExportingCoordinator(receiver.Endpoint);
        var client = coordinator.CreateApiClient();
        var workflow = Workflows.Unique("traced");
        var id = await SeqExportTests.StartFailingOnceAsync(client, workflow);
        await client.WaitForStatusAsync(id, "succeeded");
        var executionId = id.ToString();

        var nodeSpan = await Eventually.FindAsync(() => OtlpData.Spans(receiver.Bodies("traces"))
            .FirstOrDefault(s => s.Name == "node delay pause" && s.Attributes.GetValueOrDefault("ExecutionId") == executionId));
        nodeSpan.Attributes.Should().Contain("WorkflowId", workflow).And.Contain("NodeId", "pause").And.Contain("Attempt", "1")
            .And.ContainKey("WorkerId");
        var spans = OtlpData.Spans(receiver.Bodies("traces")).Where(s => s.TraceId == nodeSpan.TraceId).ToList();
        var ancestors = Ancestors(nodeSpan, spans).ToList();
        ancestors.Select(s => s.Name).Should().ContainInOrder(
            ["node-pool-default process", "node-pool-default receive", "node-pool-default send", "workflow-executions receive"],
            "MassTransit's spans carry the context from the saga step across the bus to the worker");
        // The step's span and the ExecuteNode it dispatched share the saga message's receive span:
        // the in-memory outbox sends after the step's own span has ended.
        var stepReceive = ancestors.First(s => s.Name == "workflow-executions receive");
        spans.Should().Contain(s => s.Name.StartsWith("execution ", StringComparison.Ordinal)
            && s.Attributes.GetValueOrDefault("ExecutionId") == executionId
            && Ancestors(s, spans).Any(a => a.SpanId == stepReceive.SpanId));

        // Other hosts in this test process record into the same static instruments, so an export
        // may predate this execution: wait for one that has everything of it. MassTransit's own
        // meter is left out here: MassTransit sets its instruments up once per process, with the
        // first host's meter factory, and that host may be gone by now (one host per process in
        // production, where /metrics shows them).
        string[] expected =
        [
            "workflow.executions.started", "workflow.executions.finished", "workflow.executions.active", "workflow.node.attempts",
            "workflow.node.duration", "workflow.node.queue_wait", "workflow.node.retries", workflow,
        ];
        var metrics = await Eventually.FindAsync(() =>
        {
            var text = string.Join("\n", receiver.Bodies("metrics").Select(Encoding.UTF8.GetString));
            return expected.All(name => text.Contains(name, StringComparison.Ordinal)) ? text : null;
        }, () =>
        {
            var text = string.Join("\n", receiver.Bodies("metrics").Select(Encoding.UTF8.GetString));
            return $"metrics missing {string.Join(", ", expected.Where(name => !text.Contains(name, StringComparison.Ordinal)))} in {receiver.Bodies("metrics").Count} exports";
        });
        metrics.Should().Contain("coordinator-under-test", "the resource names the service");
        receiver.ApiKeys.Should().OnlyContain(key => key == "seq-test-key");
    }

    private static IEnumerable<OtlpSpan> Ancestors(OtlpSpan span, IReadOnlyList<OtlpSpan> trace)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var current = span;
        while (current.ParentSpanId.Length > 0 && byId.TryGetValue(current.ParentSpanId, out var parent))
        {
            yield return parent;
            current = parent;
        }
    }
}
