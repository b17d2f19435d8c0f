using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Tests.Persistence;
using Workflow.Messaging.Engine.Executors;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>Named resource and node-type limits on node attempts, with the saga, admission and embedded workers on the harness.</summary>
public abstract class ResourceLimitTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
{
    private static WorkflowDefinition FanOut(string id, string resourceProperty) => Parse($$$"""
        {
          "id": "{{{id}}}",
          "settings": { "maxParallelNodes": 20 },
          "nodes": [ { "id": "charge", "type": "counted", {{{resourceProperty}}} "fanOut": { "items": "{{ $input.items }}" } } ]
        }
        """);

    private Task<ExecutionHarness> StartAsync(Action<AdmissionOptions> limits) =>
        ExecutionHarness.StartAsync(s =>
        {
            s.AddSingleton<CountingNode.Counter>();
            s.AddNodeExecutor<CountingNode>();
            s.Configure(limits);
        }, database.Options);

    [Fact]
    public async Task When_two_workflows_share_a_resource_limited_to_3_then_never_more_than_3_attempts_run_at_once_and_all_finish()
    {
        await using var h = await StartAsync(o => o.Resources["payments"] = new ResourceLimit { MaxConcurrent = 3 });
        var items = new { items = Enumerable.Range(0, 12).ToArray() };
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add(await h.StartAsync(FanOut("checkout", "\"resource\": \"payments\","), items));
            ids.Add(await h.StartAsync(FanOut("refunds", "\"resource\": \"payments\","), items));
        }

        foreach (var id in ids)
            await h.WaitForAsync(id, m => m.Succeeded);

        var counter = h.Services.GetRequiredService<CountingNode.Counter>();
        counter.Runs.Should().Be(48, "every item of every execution ran once");
        counter.Most.Should().BeInRange(1, 3, "the two workflows share the payments limit of 3");
        await using var scope = h.Services.CreateAsyncScope();
        var snapshot = await scope.ServiceProvider.GetRequiredService<IAdmissionStore>().SnapshotAsync(CancellationToken.None);
        snapshot.SlotsInUse.GetValueOrDefault("resource:payments").Should().Be(0, "every attempt gave its slot back with its result");
        snapshot.QueuedPerLimit.GetValueOrDefault("resource:payments").Should().Be(0);
    }

    [Fact]
    public async Task When_a_node_type_is_limited_to_2_then_its_attempts_run_two_at_a_time_without_a_resource_named()
    {
        await using var h = await StartAsync(o => o.NodeTypes["counted"] = new ResourceLimit { MaxConcurrent = 2 });
        var id = await h.StartAsync(FanOut("typed", ""), new { items = Enumerable.Range(0, 10).ToArray() });

        await h.WaitForAsync(id, m => m.Succeeded);

        var counter = h.Services.GetRequiredService<CountingNode.Counter>();
        counter.Runs.Should().Be(10);
        counter.Most.Should().BeInRange(1, 2);
    }

    [Fact]
    public async Task When_no_limit_is_configured_for_the_named_resource_then_attempts_run_unhindered()
    {
        await using var h = await StartAsync(o => o.Resources["other"] = new ResourceLimit { MaxConcurrent = 1 });
        var id = await h.StartAsync(FanOut("unlimited-resource", "\"resource\": \"payments\","), new { items = Enumerable.Range(0, 10).ToArray() });

        await h.WaitForAsync(id, m => m.Succeeded);

        h.Services.GetRequiredService<CountingNode.Counter>().Most.Should().BeGreaterThan(1, "nothing limits payments, so items overlap");
        await using var scope = h.Services.CreateAsyncScope();
        var snapshot = await scope.ServiceProvider.GetRequiredService<IAdmissionStore>().SnapshotAsync(CancellationToken.None);
        snapshot.QueuedPerLimit.Keys.Should().NotContain(k => k.StartsWith("resource:payments"), "no attempt was parked");
    }
}

public sealed class MemoryResourceLimitTests(MemoryCoordinatorDatabase database) : ResourceLimitTests<MemoryCoordinatorDatabase>(database);

public sealed class SqliteResourceLimitTests(SqliteCoordinatorDatabase database) : ResourceLimitTests<SqliteCoordinatorDatabase>(database);

public sealed class PostgresResourceLimitTests(PostgresCoordinatorDatabase database) : ResourceLimitTests<PostgresCoordinatorDatabase>(database);
