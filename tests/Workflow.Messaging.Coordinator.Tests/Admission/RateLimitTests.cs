using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Coordinator.Admission;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Coordinator.Tests.Persistence;
using Workflow.Messaging.Engine.Executors;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Admission;

/// <summary>
/// A rate per resource (N starts per period). The minute-long check runs the store on a clock the
/// test moves (a real minute per store would be too slow for the suite); the harness test checks the
/// wiring (park, scheduled wake-up, forward) in real time.
/// </summary>
public abstract class RateLimitTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
{
    [Fact]
    public async Task When_starts_are_asked_for_without_pause_for_a_minute_then_a_rate_of_10_per_second_is_met_within_10_percent_and_never_exceeded()
    {
        await using var services = new ServiceCollection().AddCoordinatorPersistence(database.Options).AddAdmissionServices().BuildServiceProvider();
        await services.InitializeCoordinatorSchemaAsync(database.Options);
        var key = $"rate:minute-{Guid.NewGuid():N}";
        var rate = new LimitDemand(key, 10, TimeSpan.FromSeconds(1));
        var clock = new DateTime(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
        var end = clock.AddMinutes(1);
        var starts = new List<DateTime>();

        // Saturating demand: every 20 ms of the test's clock, as many starts as the rate lets through.
        for (var now = clock; now < end; now = now.AddMilliseconds(20))
        {
            await using var scope = services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IAdmissionStore>();
            for (var i = 0; i < 20 && await store.TryAcquireAsync(new AdmissionHolder(Guid.Empty, $"start-{starts.Count}"), [rate], now, now, CancellationToken.None); i++)
                starts.Add(now);
        }

        starts.Count.Should().BeInRange(540, 660, "10 per second over a minute is 600, within 10 %");
        for (var i = 10; i < starts.Count; i++)
            (starts[i] - starts[i - 10]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "no window of one second holds 11 starts");
    }

    [Fact]
    public async Task When_a_resource_allows_20_starts_per_second_then_40_attempts_are_spread_over_more_than_a_second_and_all_run()
    {
        await using var h = await ExecutionHarness.StartAsync(s =>
        {
            s.AddSingleton<CountingNode.Counter>();
            s.AddNodeExecutor<CountingNode>();
            s.Configure<AdmissionOptions>(o => o.Resources["quota-api"] = new ResourceLimit { MaxStarts = 20, RatePeriod = TimeSpan.FromSeconds(1) });
        }, database.Options);
        var started = DateTime.UtcNow;
        var id = await h.StartAsync(Parse("""
            {
              "id": "quota",
              "settings": { "maxParallelNodes": 100 },
              "nodes": [ { "id": "call", "type": "counted", "resource": "quota-api", "fanOut": { "items": "{{ $input.items }}" } } ]
            }
            """), new { items = Enumerable.Range(0, 40).ToArray() });

        await h.WaitForAsync(id, m => m.Succeeded);

        h.Services.GetRequiredService<CountingNode.Counter>().Runs.Should().Be(40);
        (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromSeconds(1), "the second 20 could start only a second after the first 20");
    }
}

public sealed class MemoryRateLimitTests(MemoryCoordinatorDatabase database) : RateLimitTests<MemoryCoordinatorDatabase>(database);

public sealed class SqliteRateLimitTests(SqliteCoordinatorDatabase database) : RateLimitTests<SqliteCoordinatorDatabase>(database);

public sealed class PostgresRateLimitTests(PostgresCoordinatorDatabase database) : RateLimitTests<PostgresCoordinatorDatabase>(database);
