using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Coordinator.Persistence;
using static Workflow.Messaging.Coordinator.Tests.Define;

namespace Workflow.Messaging.Coordinator.Tests.Persistence;

/// <summary>The real saga on a real database: PostgreSQL (row locks) and SQLite (database-wide writes).</summary>
public abstract class DurableExecutionTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : CoordinatorDatabase
{
    private const int FanOut = 200;

    [Fact]
    public async Task Two_hundred_concurrent_results_of_one_fan_out_lose_no_update()
    {
        await using var h = await ExecutionHarness.StartAsync(persistence: database.Options);
        // Nothing consumes the "manual" pool: the test answers every item itself, all at once.
        var id = await h.StartAsync(Parse($$$"""
            {
              "id": "fan-in",
              "settings": { "maxParallelNodes": {{{FanOut}}} },
              "nodes": [
                { "id": "each", "type": "delay", "pool": "manual", "fanOut": { "items": "{{ $input.items }}" }, "parameters": { "duration": "1ms" } },
                { "id": "after", "type": "noop" }
              ],
              "connections": [ { "from": "each", "to": "after" } ]
            }
            """), new { items = Enumerable.Range(0, FanOut).ToArray() });
        // The start step dispatches every item; once its state is committed, all 200 are running.
        var running = await h.WaitForAsync(id, m => m.Running);
        running.RuntimeJson.Split("\"s\":\"running\"").Length.Should().Be(FanOut + 2, "the node and each of its items are running");

        await Task.WhenAll(Enumerable.Range(0, FanOut).Select(i => h.PublishAsync(new NodeSucceeded
        {
            ExecutionId = id, NodeId = "each", Attempt = 1, ItemIndex = i,
            Output = System.Text.Json.JsonSerializer.SerializeToElement(new { item = i }), Ports = ["main"], WorkerId = $"test-{i % 7}",
        })));

        await h.WaitForAsync(id, m => m.Succeeded);
        var joined = (await h.OutputAsync(id, "each")).EnumerateArray().Select(o => o.GetProperty("item").GetInt32());
        joined.Should().Equal(Enumerable.Range(0, FanOut), "every result was recorded, in item order");
        await using var scope = h.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>();
        (await db.NodeOutputs.CountAsync(o => o.ExecutionId == id && o.NodeId == "each" && o.ItemIndex >= 0)).Should().Be(FanOut);
    }

    [Fact]
    public async Task An_execution_with_a_retry_and_a_branch_runs_to_the_end_with_its_state_in_the_database()
    {
        await using var h = await ExecutionHarness.StartAsync(persistence: database.Options);
        var id = await h.StartAsync(Parse("""
            {
              "id": "durable",
              "nodes": [
                { "id": "flaky", "type": "fail", "parameters": { "failTimes": 1, "retryable": true }, "retry": { "maxAttempts": 2, "initialDelay": "20ms" } },
                { "id": "check", "type": "if", "parameters": { "conditions": [ { "left": "{{ $input.n }}", "operator": "eq", "right": 3 } ] } },
                { "id": "yes", "type": "set", "parameters": { "values": { "answer": "{{ $node.flaky.output.n }}" } } },
                { "id": "no", "type": "noop" }
              ],
              "connections": [
                { "from": "flaky", "to": "check" }, { "from": "check", "output": "true", "to": "yes" }, { "from": "check", "output": "false", "to": "no" }
              ]
            }
            """), new { n = 3 });

        await h.WaitForAsync(id, m => m.Succeeded);

        (await h.OutputAsync(id, "yes")).GetProperty("answer").GetInt32().Should().Be(3);
        await using var scope = h.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<CoordinatorDbContext>().Executions.AsNoTracking().SingleAsync(e => e.CorrelationId == id);
        row.CurrentState.Should().Be("Succeeded");
        row.FinalStatus.Should().Be(ExecutionStatus.Succeeded);
        row.RuntimeJson.Should().Contain("\"no\":{\"s\":\"skipped\"");
    }

    [Fact]
    public async Task An_execution_deadline_read_back_from_the_database_still_matches_its_timer()
    {
        // PostgreSQL keeps microseconds, .NET 100 ns ticks: the deadline the row holds and the one
        // the timer carries differ unless compared at the database's precision.
        await using var h = await ExecutionHarness.StartAsync(persistence: database.Options);
        var id = await h.StartAsync(Parse("""
            {
              "id": "deadline",
              "settings": { "executionTimeout": "300ms" },
              "nodes": [ { "id": "held", "type": "delay", "pool": "nobody", "parameters": { "duration": "1ms" } } ]
            }
            """));

        await h.WaitForAsync(id, m => m.TimedOut);
    }
}

public sealed class PostgresDurableExecutionTests(PostgresCoordinatorDatabase database) : DurableExecutionTests<PostgresCoordinatorDatabase>(database);

public sealed class SqliteDurableExecutionTests(SqliteCoordinatorDatabase database) : DurableExecutionTests<SqliteCoordinatorDatabase>(database);
