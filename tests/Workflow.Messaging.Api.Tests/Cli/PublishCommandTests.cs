using System.Threading.Channels;
using MassTransit;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Api.Tests.Cli;

/// <summary>
/// wf publish against the real RabbitMQ (WF_RABBITMQ_* settings, loopback by default): the
/// StartWorkflow it publishes reaches a subscriber on a queue of this test's own.
/// </summary>
public sealed class PublishCommandTests : IAsyncLifetime
{
    private readonly Channel<StartWorkflow> _received = Channel.CreateUnbounded<StartWorkflow>();
    private readonly string _queue = $"wf-publish-test-{Guid.NewGuid():N}";
    private IBusControl _bus = null!;

    public async Task InitializeAsync()
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(LocalServices.RabbitMqHost, LocalServices.RabbitMqPort, "/", h =>
            {
                h.Username(LocalServices.RabbitMqUser);
                h.Password(LocalServices.RabbitMqPassword);
            });
            cfg.ReceiveEndpoint(_queue, e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<StartWorkflow>(context => _received.Writer.WriteAsync(context.Message).AsTask());
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.StartAsync(timeout.Token);
    }

    public Task DisposeAsync() => _bus.StopAsync();

    [Fact]
    public async Task Publish_sends_a_start_workflow_with_the_definition_input_and_execution_id_to_rabbitmq()
    {
        var executionId = Guid.NewGuid();
        var definition = Wf.TempFile(Infrastructure.Workflows.Greeting("published"));

        var result = await Wf.RunAsync("publish", "--definition", definition, "--input", "{\"name\": \"Rabbit\"}",
            "--execution-id", executionId.ToString(), "--rabbitmq", LocalServices.RabbitMqHost);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Trim().Should().Be(executionId.ToString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        StartWorkflow message;
        do
            message = await _received.Reader.ReadAsync(timeout.Token);
        while (message.ExecutionId != executionId);
        message.Definition!.Id.Should().Be("published");
        message.Input!.Value.GetProperty("name").GetString().Should().Be("Rabbit");
        message.RequestedBy.Should().StartWith("wf publish");
    }

    [Fact]
    public async Task Publish_of_an_invalid_definition_file_sends_nothing_and_exits_2()
    {
        var definition = Wf.TempFile(Infrastructure.Workflows.Invalid("bad"));

        var result = await Wf.RunAsync("publish", "--definition", definition, "--rabbitmq", LocalServices.RabbitMqHost);

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("unknown-node-type");
    }

}
