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

    [Fact]
    public async Task When_two_workflows_share_a_resource_limited_to_1_on_two_workers_and_two_coordinators_then_its_attempts_never_overlap()
    {
        var peer = await fleet.StartPeerCoordinator();
        var items = new { items = Enumerable.Range(0, 4).ToArray() };
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add(await fleet.Observer.Start(Workflows.UsesResource("checkout", Fleet.PaymentsResource, "150ms"), items));
            ids.Add(await fleet.Observer.Start(Workflows.UsesResource("refunds", Fleet.PaymentsResource, "150ms"), items));
        }

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

        // Each attempt ran from its start to start + Duration on its worker's clock (one machine); the
        // result carries the start, as short attempts are not announced with a NodeStarted.
        var runs = fleet.Observer.Recorded<NodeSucceeded>(s => ids.Contains(s.ExecutionId))
            .Select(s => (From: s.StartedAt!.Value, To: s.StartedAt!.Value + s.Duration, s.WorkerId))
            .OrderBy(r => r.From)
            .ToList();
        runs.Should().HaveCount(16, "4 items of 4 executions");
        runs.Select(r => r.WorkerId).Distinct().Should().HaveCount(2, "both workers ran payments attempts");
        for (var i = 1; i < runs.Count; i++)
            runs[i].From.Should().BeOnOrAfter(runs[i - 1].To, "payments is limited to one attempt at a time across the fleet");
    }

    [Fact]
    public async Task When_the_worker_holding_the_only_slot_of_a_resource_is_killed_then_the_slot_goes_on_with_its_attempt_and_comes_back()
    {
        var holder = await fleet.Observer.Start(Workflows.UsesResource("long-payment", Fleet.PaymentsResource, "6s"), new { items = new[] { 1 } });
        var first = await fleet.Observer.WaitFor<NodeStarted>(s => s.ExecutionId == holder, TimeSpan.FromSeconds(60), "the long payment started");
        var waiting = await fleet.Observer.Start(Workflows.UsesResource("short-payment", Fleet.PaymentsResource, "50ms"), new { items = new[] { 1 } });

        await fleet.KillWorker(first.WorkerId);
        output.WriteLine($"killed {first.WorkerId} (kill -9) while it held the payments slot");

        try
        {
            await fleet.Observer.Succeeded(holder, TimeSpan.FromSeconds(180));
            await fleet.Observer.Succeeded(waiting, TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            output.WriteLine(fleet.Logs());
            throw;
        }

        var holderRuns = fleet.Observer.Recorded<NodeStarted>(s => s.ExecutionId == holder);
        holderRuns.Select(s => s.Attempt).Distinct().Should().Equal([1], "the silent attempt was dispatched again as itself, still holding its slot");
        holderRuns.Select(s => s.WorkerId).Should().Contain(id => id != first.WorkerId, "another worker finished it");
        // The run that finished: its start plus the duration its worker reported.
        var finished = fleet.Observer.Recorded<NodeSucceeded>(s => s.ExecutionId == holder).Single();
        var holderFinish = finished.StartedAt!.Value + finished.Duration;
        fleet.Observer.Recorded<NodeSucceeded>(s => s.ExecutionId == waiting).Single().StartedAt!.Value
            .Should().BeOnOrAfter(holderFinish, "the waiting attempt ran only once the slot came back from the long one");
    }
}
