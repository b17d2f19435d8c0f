using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Api.Tests.Infrastructure;
using Workflow.Messaging.Coordinator.Api.Progress;

namespace Workflow.Messaging.Api.Tests.Cli;

/// <summary>wf against a running coordinator over loopback HTTP: every remote command, and its exit codes.</summary>
public sealed class CliCommandTests(KestrelCoordinator coordinator) : IClassFixture<KestrelCoordinator>
{
    private readonly HttpClient _api = CreateApi(coordinator);

    private static HttpClient CreateApi(KestrelCoordinator coordinator)
    {
        var client = new HttpClient { BaseAddress = new Uri(coordinator.Address) };
        client.DefaultRequestHeaders.Add("X-Api-Key", CoordinatorFactory.Key);
        return client;
    }

    private Task<Wf.Result> WfAsync(params string[] args) =>
        Wf.RunAsync([.. args, "--api", coordinator.Address, "--api-key", CoordinatorFactory.Key]);

    [Fact]
    public async Task Definitions_push_validate_and_list_work_against_the_coordinator()
    {
        var id = Workflows.Unique("cli");
        var file = Wf.TempFile(Workflows.Greeting(id));
        var invalid = Wf.TempFile(Workflows.Invalid(id));

        var push = await WfAsync("definitions", "push", file);
        var again = await WfAsync("definitions", "push", file);
        var valid = await WfAsync("definitions", "validate", file);
        var refused = await WfAsync("definitions", "validate", invalid);
        var list = await WfAsync("definitions", "list");

        push.ExitCode.Should().Be(0, push.ToString());
        push.Output.Should().Contain($"stored {id} v1");
        again.Output.Should().Contain($"stored {id} v2");
        valid.ExitCode.Should().Be(0, valid.ToString());
        refused.ExitCode.Should().Be(2);
        refused.Error.Should().Contain("$.nodes[0].type").And.Contain("unknown-node-type");
        list.Output.Should().Contain($"{id}  v2  (2 version(s))");
    }

    [Fact]
    public async Task Start_with_watch_prints_progress_and_outputs_and_exits_0()
    {
        var id = Workflows.Unique("cli");
        await _api.CreateDefinitionAsync(Workflows.Greeting(id));

        var run = await WfAsync("start", id, "--input", "{\"name\": \"Cli\"}", "--watch");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("✓ shout  succeeded").And.Contain("Execution succeeded").And.Contain("Hello Cli!");
    }

    [Fact]
    public async Task Start_then_status_and_list_show_the_execution()
    {
        var id = Workflows.Unique("cli");
        await _api.CreateDefinitionAsync(Workflows.FailsOnce(id));

        var start = await WfAsync("start", id, "--idempotency-key", $"k-{id}");
        var executionId = Guid.Parse(start.Output.Trim());
        await _api.WaitForStatusAsync(executionId, "failed");
        var status = await WfAsync("status", executionId.ToString());
        var json = await WfAsync("status", executionId.ToString(), "--json");
        var list = await WfAsync("list", "--workflow", id, "--status", "failed");
        var repeat = await WfAsync("start", id, "--idempotency-key", $"k-{id}");

        status.ExitCode.Should().Be(0, status.ToString());
        status.Output.Should().Contain($"{id} v1  failed").And.Contain("failed at flaky").And.Contain("first attempt fails");
        json.Output.Should().Contain("\"failedNodeId\": \"flaky\"");
        list.Output.Should().Contain(executionId.ToString()).And.Contain("1 execution");
        repeat.Output.Trim().Should().Be(executionId.ToString());
    }

    [Fact]
    public async Task Pause_resume_and_decide_drive_an_approval_and_watch_reports_the_end()
    {
        var id = Workflows.Unique("cli");
        await _api.CreateDefinitionAsync(Workflows.Approval(id));
        var executionId = Guid.Parse((await WfAsync("start", id)).Output.Trim());
        await _api.WaitForNodeAsync(executionId, "hold", "waiting");

        (await WfAsync("pause", executionId.ToString())).ExitCode.Should().Be(0);
        await _api.WaitForStatusAsync(executionId, "paused");
        (await WfAsync("resume", executionId.ToString())).ExitCode.Should().Be(0);
        await _api.WaitForStatusAsync(executionId, "running");
        var watch = WfAsync("watch", executionId.ToString());
        await ListeningAsync(executionId);
        var decide = await WfAsync("decide", executionId.ToString(), "hold", "--approve", "--comment", "fine");
        var watched = await watch;

        decide.ExitCode.Should().Be(0, decide.ToString());
        watched.ExitCode.Should().Be(0, watched.ToString());
        watched.Output.Should().Contain("✓ done  succeeded").And.Contain("Execution succeeded");
    }

    [Fact]
    public async Task Cancel_then_retry_are_accepted_and_carried_out()
    {
        var id = Workflows.Unique("cli");
        await _api.CreateDefinitionAsync(Workflows.Approval(id));
        var executionId = Guid.Parse((await WfAsync("start", id)).Output.Trim());
        await _api.WaitForNodeAsync(executionId, "hold", "waiting");

        var cancel = await WfAsync("cancel", executionId.ToString(), "--reason", "changed my mind");
        var cancelled = await _api.WaitForStatusAsync(executionId, "cancelled");
        var retry = await WfAsync("retry", executionId.ToString());
        await _api.WaitForAsync(executionId, e => e.GetProperty("status").GetString() == "running"
            && e.Node("hold").GetProperty("status").GetString() == "waiting", "running again with hold waiting");
        var cancelAgain = await WfAsync("cancel", executionId.ToString());

        cancel.ExitCode.Should().Be(0, cancel.ToString());
        cancelled.GetProperty("error").GetString().Should().Be("changed my mind");
        retry.ExitCode.Should().Be(0, retry.ToString());
        cancelAgain.ExitCode.Should().Be(0);
        (await _api.WaitForStatusAsync(executionId, "cancelled")).GetProperty("status").GetString().Should().Be("cancelled");
    }

    [Fact]
    public async Task Refusals_map_to_exit_codes_with_the_problem_printed()
    {
        var unknown = await WfAsync("status", Guid.NewGuid().ToString());
        var badStart = await WfAsync("start", "no-such-workflow");
        var conflict = await WfAsync("resume", (await StartedGreetingAsync()).ToString());
        var noKey = await Wf.RunAsync("list", "--api", coordinator.Address);
        var unreachable = await Wf.RunAsync("list", "--api", "http://127.0.0.1:9");
        var bothAnswers = await WfAsync("decide", Guid.NewGuid().ToString(), "hold", "--approve", "--reject");

        unknown.ExitCode.Should().Be(3);
        unknown.Error.Should().Contain("404 Not found");
        badStart.ExitCode.Should().Be(2);
        badStart.Error.Should().Contain("No stored workflow 'no-such-workflow'");
        conflict.ExitCode.Should().Be(3);
        conflict.Error.Should().Contain("409");
        noKey.ExitCode.Should().Be(4);
        unreachable.ExitCode.Should().Be(5);
        unreachable.Error.Should().Contain("cannot reach the coordinator");
        bothAnswers.ExitCode.Should().NotBe(0);
        bothAnswers.Error.Should().Contain("exactly one of --approve and --reject");
    }

    /// <summary>The watch has its stream open, so the decision's events cannot pass it by.</summary>
    private async Task ListeningAsync(Guid executionId)
    {
        var hub = coordinator.Services.GetRequiredService<ExecutionProgressHub>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (hub.Count(executionId) == 0)
            await Task.Delay(20, timeout.Token);
    }

    private async Task<Guid> StartedGreetingAsync()
    {
        var id = Workflows.Unique("cli");
        await _api.CreateDefinitionAsync(Workflows.Greeting(id));
        var executionId = await _api.StartAsync(id, new { name = "x" });
        await _api.WaitForStatusAsync(executionId, "succeeded");
        return executionId;
    }
}
