using Workflow.Messaging.Bench.Chaos;
using Xunit.Abstractions;

namespace Workflow.Messaging.Chaos.Tests;

/// <summary>
/// 100 executions of a mixed workflow on the real fleet (a Coordinator and two Worker processes,
/// RabbitMQ, PostgreSQL) while one worker is SIGKILLed, the broker closes every connection of the
/// run four times, the coordinator is SIGKILLed and restarted, RabbitMQ is restarted and
/// PostgreSQL is restarted. Restarting the shared services
/// disturbs anything else using them: run this project on its own, after the other test projects.
/// </summary>
public sealed class FleetFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task When_a_worker_the_coordinator_the_broker_and_the_database_fail_then_every_execution_ends_once_and_nothing_is_applied_twice()
    {
        using var log = new TestOutputWriter(output);
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(6));

        var report = await ChaosRun.RunAsync(ChaosPlan.Small, log, bound.Token);
        report.Write(log);

        report.WorkerKills.Should().Be(1);
        report.CoordinatorKills.Should().Be(1);
        report.RabbitMqRestarts.Should().Be(1);
        report.PostgresRestarts.Should().Be(1);
        report.ConnectionDrops.Should().Be(4);
        report.Started.Should().Be(100);
        report.Terminal.Should().Be(100, "every execution must reach a terminal state");
        report.ReportedTwice.Should().Be(0);
        report.NodesWithMoreThanOneSuccess.Should().Be(0, "a node instance's success is recorded once");
        report.SideEffectsApplied.Should().BeGreaterThanOrEqualTo(report.Succeeded, "each succeeded execution applied its side effect at least once");
        report.SucceededWithoutSideEffect.Should().Be(0);
        report.ErrorQueues.Should().BeEmpty();
        report.Violations.Should().BeEmpty();
    }
}
