using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflow.Messaging.Api.Tests.Infrastructure;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>
/// One execution through the real coordinator host with OTLP export to a loopback receiver: its
/// logs, spans and metrics must arrive carrying its ids, and the worker's node span must descend
/// from the coordinator's execution step across the bus.
/// </summary>
public sealed class TelemetryExportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private sealed class ExportingCoordinator(Uri endpoint) : CoordinatorFactory(new Dictionary<string, string?>
    {
        ["Telemetry:OtlpEndpoint"] = endpoint.ToString(),
        ["Telemetry:SeqApiKey"] = "seq-test-key",
        ["Telemetry:BatchExportDelay"] = "00:00:00.100",
        ["Telemetry:MetricExportInterval"] = "00:00:00.300",
        ["Telemetry:ServiceName"] = "coordinator-under-test",
        ["Logging:LogLevel:Workflow.Messaging"] = "Information",
    });

    [Fact]
    public async Task One_executions_logs_spans_and_metrics_reach_the_otlp_endpoint_with_its_ids()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var coordinator = new ExportingCoordinator(receiver.Endpoint);
        var client = coordinator.CreateApiClient();
        var workflow = Workflows.Unique("traced");
        var definition = JsonDocument.Parse($$"""
            {
              "id": "{{workflow}}",
              "nodes": [
                { "id": "flaky", "type": "fail", "parameters": { "failTimes": 1, "retryable": true, "message": "busy" },
                  "retry": { "maxAttempts": 2, "initialDelay": "10ms" } },
                { "id": "pause", "type": "delay", "parameters": { "duration": "5ms" } }
              ],
              "connections": [ { "from": "flaky", "to": "pause" } ]
            }
            """).RootElement;

        var response = await client.PostAsync("/api/executions", JsonContent.Create(new { definition }));
        var id = (await response.ReadJsonAsync()).GetProperty("executionId").GetGuid();
        await client.WaitForStatusAsync(id, "succeeded");
        var executionId = id.ToString();

        var nodeSpan = await EventuallyAsync(() => OtlpData.Spans(receiver.Bodies("traces"))
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

        var failure = await EventuallyAsync(() => OtlpData.Logs(receiver.Bodies("logs"))
            .FirstOrDefault(l => l.Attributes.GetValueOrDefault("ExecutionId") == executionId && l.Attributes.GetValueOrDefault("NodeId") == "flaky"));
        failure.Attributes.Should().Contain("WorkflowId", workflow).And.Contain("Attempt", "1").And.ContainKey("WorkerId");
        failure.TraceId.Should().NotBeEmpty("log records carry the trace they were written in");
        var accepted = await EventuallyAsync(() => OtlpData.Logs(receiver.Bodies("logs"))
            .FirstOrDefault(l => l.Attributes.GetValueOrDefault("ExecutionId") == executionId && l.Body.Contains("accepted", StringComparison.Ordinal)));
        accepted.Attributes.Should().Contain("WorkflowId", workflow);
        accepted.TraceId.Should().Be(nodeSpan.TraceId, "the API request starts the execution's trace");

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
        var metrics = await EventuallyAsync(() =>
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

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe, Func<string>? describe = null) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The expected telemetry never arrived{(describe is null ? "" : ": " + describe())}.");
    }
}
