using System.Net.Http.Json;
using System.Text.Json;
using Workflow.Messaging.Api.Tests.Infrastructure;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>
/// Logs through Serilog.Sinks.Seq to a loopback fake of Seq's ingestion endpoint: one execution's
/// events arrive as structured CLEF with its ids as properties, the trace they were written in,
/// and the API key.
/// </summary>
public sealed class SeqExportTests
{
    private const string ApiKey = "seq-test-key";

    private sealed class LoggingCoordinator(Uri seq) : CoordinatorFactory(new Dictionary<string, string?>
    {
        ["Seq:ServerUrl"] = seq.ToString(),
        ["Seq:ApiKey"] = ApiKey,
        ["Telemetry:BatchExportDelay"] = "00:00:00.100",
        ["Telemetry:ServiceName"] = "coordinator-under-test",
        ["Serilog:MinimumLevel:Override:Workflow.Messaging"] = "Information",
    });

    [Fact]
    public async Task One_executions_events_reach_seq_with_its_ids_and_trace()
    {
        await using var seq = await SeqReceiver.StartAsync();
        await using var coordinator = new LoggingCoordinator(seq.ServerUrl);
        var client = coordinator.CreateApiClient();
        var workflow = Workflows.Unique("logged");

        var id = await StartFailingOnceAsync(client, workflow);
        await client.WaitForStatusAsync(id, "succeeded");
        var executionId = id.ToString();

        var accepted = await Eventually.FindAsync(() => seq.Events.FirstOrDefault(e =>
            e["ExecutionId"] == executionId && e.Message?.Contains("accepted", StringComparison.Ordinal) == true), () => Describe(seq));
        accepted["WorkflowId"].Should().Be(workflow);
        accepted["Service"].Should().Be("coordinator-under-test");
        accepted.TraceId.Should().NotBeNullOrEmpty("events carry the trace they were written in");
        accepted.SpanId.Should().NotBeNullOrEmpty();

        var failure = await Eventually.FindAsync(() => seq.Events.FirstOrDefault(e => e["ExecutionId"] == executionId && e["NodeId"] == "flaky"),
            () => Describe(seq));
        failure.Level.Should().Be("Warning");
        failure["WorkflowId"].Should().Be(workflow);
        failure["NodeType"].Should().Be("fail");
        failure["Attempt"].Should().Be("1");
        failure["WorkerId"].Should().NotBeNullOrEmpty();
        failure.TraceId.Should().Be(accepted.TraceId, "the API request starts the execution's trace and the bus carries it to the worker");
        seq.ApiKeys.Should().NotBeEmpty().And.OnlyContain(key => key == ApiKey);
        seq.ContentTypes.Should().OnlyContain(type => type.StartsWith("application/vnd.serilog.clef", StringComparison.Ordinal));
    }

    internal static string Describe(SeqReceiver seq) =>
        $"{seq.Events.Count} events in {seq.ApiKeys.Count} batches; the last ones: "
        + string.Join(" | ", seq.Events.TakeLast(5).Select(e => $"{e.Level} {e.Message} {{{string.Join(", ", e.Properties.Select(p => $"{p.Key}={p.Value}"))}}}"));

    /// <summary>A node that fails once (a worker's warning) before a retry succeeds.</summary>
    internal static async Task<Guid> StartFailingOnceAsync(HttpClient client, string workflow)
    {
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
        return (await response.ReadJsonAsync()).GetProperty("executionId").GetGuid();
    }
}
