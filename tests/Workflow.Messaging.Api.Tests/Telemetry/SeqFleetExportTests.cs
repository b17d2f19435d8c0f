using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.Api.Tests.Infrastructure;
using Workflow.Messaging.ServiceDefaults;
using Workflow.Messaging.Worker;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>
/// The fleet as deployed, on RabbitMQ (a virtual host of its own): a coordinator host and a
/// separate worker host, each logging to the same Seq fake. One execution's events arrive from
/// both, told apart by Service, carrying its ids and one trace across the broker.
/// </summary>
public sealed class SeqFleetExportTests
{
    private const string ApiKey = "seq-fleet-key";

    private sealed class Coordinator(RabbitMqVirtualHost vhost, Uri seq) : CoordinatorFactory(Settings(vhost, seq, "coordinator-under-test"));

    [Fact]
    public async Task Coordinator_and_worker_hosts_send_one_executions_events_to_seq_with_its_ids_and_trace()
    {
        await using var seq = await SeqReceiver.StartAsync();
        var vhost = RabbitMqVirtualHost.Create();
        try
        {
            using var worker = await StartWorkerAsync(vhost, seq.ServerUrl);
            await using (var coordinator = new Coordinator(vhost, seq.ServerUrl))
            {
                var client = coordinator.CreateApiClient();
                var workflow = Workflows.Unique("fleet-logged");
                var id = await SeqExportTests.StartFailingOnceAsync(client, workflow);
                await client.WaitForStatusAsync(id, "succeeded");
                var executionId = id.ToString();

                var accepted = await Eventually.FindAsync(() => seq.Events.FirstOrDefault(e => e["ExecutionId"] == executionId
                    && e.Message?.Contains("accepted", StringComparison.Ordinal) == true), () => SeqExportTests.Describe(seq));
                accepted["Service"].Should().Be("coordinator-under-test");
                accepted["WorkflowId"].Should().Be(workflow);

                var failure = await Eventually.FindAsync(() => seq.Events.FirstOrDefault(e => e["ExecutionId"] == executionId
                    && e["NodeId"] == "flaky" && e["Attempt"] == "1" && e["Kind"] == "Retryable"), () => SeqExportTests.Describe(seq, executionId));
                failure["Service"].Should().Be("worker-under-test", "the worker host wrote it, not a worker embedded in the coordinator");
                failure["WorkflowId"].Should().Be(workflow);
                failure["NodeType"].Should().Be("fail");
                failure["WorkerId"].Should().NotBeNullOrEmpty();
                failure.SpanId.Should().NotBeNullOrEmpty();
                failure.TraceId.Should().Be(accepted.TraceId, "MassTransit carries the trace from the coordinator across RabbitMQ ({0})",
                    SeqExportTests.Describe(seq, executionId));
            }
            await worker.StopAsync();
        }
        finally
        {
            await vhost.DeleteAsync();
        }
        seq.ApiKeys.Should().NotBeEmpty().And.OnlyContain(key => key == ApiKey);
    }

    private static async Task<IHost> StartWorkerAsync(RabbitMqVirtualHost vhost, Uri seq)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(vhost, seq, "worker-under-test"));
        builder.AddServiceDefaults();
        builder.AddWorker();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static Dictionary<string, string?> Settings(RabbitMqVirtualHost vhost, Uri seq, string service) => new()
    {
        ["RabbitMq:Host"] = RabbitMqVirtualHost.Host,
        ["RabbitMq:Port"] = RabbitMqVirtualHost.Port,
        ["RabbitMq:User"] = RabbitMqVirtualHost.User,
        ["RabbitMq:Pass"] = RabbitMqVirtualHost.Password,
        ["RabbitMq:VHost"] = vhost.Name,
        ["Seq:ServerUrl"] = seq.ToString(),
        ["Seq:ApiKey"] = ApiKey,
        ["Telemetry:BatchExportDelay"] = "00:00:00.100",
        ["Telemetry:ServiceName"] = service,
        ["Serilog:MinimumLevel:Override:Workflow.Messaging"] = "Information",
    };
}
