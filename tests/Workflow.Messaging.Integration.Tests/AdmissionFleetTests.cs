using Workflow.Messaging.Contracts;
using Workflow.Messaging.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Workflow.Messaging.Integration.Tests;

/// <summary>
/// Execution limits on the real fleet: two coordinator processes take starts, results and admission
/// passes from the same queues, and the slots in PostgreSQL hold the limit across both.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class AdmissionFleetTests(Fleet fleet, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Starts = 200;
    private const int Limit = 5;

    public Task InitializeAsync() => fleet.EnsureRunning();

    public Task DisposeAsync() => fleet.EnsureRunning();

    [Fact]
    public async Task When_200_starts_meet_maxConcurrentExecutions_5_on_two_coordinators_then_never_more_than_5_run_at_once_and_all_finish()
    {
        var peer = await fleet.StartPeerCoordinator();
        var definition = Workflows.Limited("admission-five", Limit, "30ms");
        var ids = new List<Guid>();
        for (var i = 0; i < Starts; i++)
            ids.Add(await fleet.Observer.Start(definition));

        try
        {
            foreach (var id in ids)
                await fleet.Observer.Succeeded(id, TimeSpan.FromSeconds(180));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            output.WriteLine(fleet.Logs());
            throw;
        }
        finally
        {
            await peer.Kill();
        }

        var started = fleet.Observer.Recorded<ExecutionStarted>(s => ids.Contains(s.ExecutionId));
        var succeeded = fleet.Observer.Recorded<ExecutionSucceeded>(s => ids.Contains(s.ExecutionId));
        started.Select(s => s.ExecutionId).Distinct().Should().HaveCount(Starts, "every execution started once admitted");
        // Running = from its ExecutionStarted to its ExecutionSucceeded (both hosts share the machine's clock).
        var edges = started.Select(s => (At: s.StartedAt, Step: +1))
            .Concat(succeeded.Select(s => (At: s.FinishedAt, Step: -1)))
            .OrderBy(e => e.At).ThenBy(e => e.Step);
        int running = 0, most = 0;
        foreach (var (_, step) in edges)
            most = Math.Max(most, running += step);
        output.WriteLine($"most running at once: {most}; queued on the way: {fleet.Observer.Recorded<ExecutionQueued>(q => ids.Contains(q.ExecutionId)).Count}");
        most.Should().BeInRange(1, Limit, "the limit holds across both coordinators");
        fleet.Observer.Recorded<ExecutionQueued>(q => ids.Contains(q.ExecutionId)).Should().NotBeEmpty("200 starts against 5 slots queue");
    }
}
