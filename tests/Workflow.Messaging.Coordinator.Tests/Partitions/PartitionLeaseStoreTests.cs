using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Coordinator.Partitions;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Coordinator.Tests.Persistence;

namespace Workflow.Messaging.Coordinator.Tests.Partitions;

/// <summary>The partition leases' promises on each database: one holder at a time, renewal, expiry, hand-back.</summary>
public abstract class PartitionLeaseStoreTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : CoordinatorDatabase
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private ServiceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCoordinatorPersistence(database.Options);
        _provider = services.BuildServiceProvider(true);
        await _provider.InitializeCoordinatorSchemaAsync(database.Options);
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task A_partition_has_one_holder_until_its_lease_runs_out_unrenewed_and_a_leaving_member_frees_everything_it_held()
    {
        var view = await Store(s => s.HeartbeatAsync("a", 4, T0, T0 + Lease, default));
        await Store(s => s.HeartbeatAsync("b", 4, T0, T0 + Lease, default));
        view.Leases.Select(l => l.Partition).Order().Should().Equal(0, 1, 2, 3);

        (await Store(s => s.ClaimAsync("a", 0, T0, T0 + Lease, default))).Should().BeTrue();
        (await Store(s => s.ClaimAsync("b", 0, T0.AddSeconds(1), T0.AddSeconds(1) + Lease, default))).Should().BeFalse("a holds it");
        (await Store(s => s.ClaimAsync("a", 1, T0, T0 + Lease, default))).Should().BeTrue();

        // a renews at 5 s; b still cannot take partition 0 at 12 s, when the first lease would have run out.
        await Store(s => s.HeartbeatAsync("a", 4, T0.AddSeconds(5), T0.AddSeconds(5) + Lease, default));
        (await Store(s => s.ClaimAsync("b", 0, T0.AddSeconds(12), T0.AddSeconds(12) + Lease, default))).Should().BeFalse("a renewed it");

        // a falls silent: at 16 s its lease has run out, b takes the partition and sees a gone.
        (await Store(s => s.ClaimAsync("b", 0, T0.AddSeconds(16), T0.AddSeconds(16) + Lease, default))).Should().BeTrue();
        var later = await Store(s => s.HeartbeatAsync("b", 4, T0.AddSeconds(16), T0.AddSeconds(16) + Lease, default));
        later.LiveMembers.Should().Equal("b");
        later.Leases.Single(l => l.Partition == 0).Owner.Should().Be("b");

        await Store(s => s.ClaimAsync("b", 2, T0.AddSeconds(16), T0.AddSeconds(16) + Lease, default));
        await Store(s => s.LeaveAsync("b", default));
        var after = await Store(s => s.HeartbeatAsync("c", 4, T0.AddSeconds(17), T0.AddSeconds(17) + Lease, default));
        after.LiveMembers.Should().Equal("c");
        after.Leases.Where(l => l.Partition != 1).Should().AllSatisfy(l => l.Owner.Should().BeNull("b handed back what it held"));
        (await Store(s => s.ClaimAsync("c", 0, T0.AddSeconds(17), T0.AddSeconds(17) + Lease, default))).Should().BeTrue("a released partition is free at once");
    }

    private async Task<T> Store<T>(Func<PartitionLeaseStore, Task<T>> call)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<PartitionLeaseStore>());
    }

    private Task Store(Func<PartitionLeaseStore, Task> call) => Store(async s => { await call(s); return true; });
}

public sealed class SqlitePartitionLeaseStoreTests(SqliteCoordinatorDatabase database) : PartitionLeaseStoreTests<SqliteCoordinatorDatabase>(database);

public sealed class PostgresPartitionLeaseStoreTests(PostgresCoordinatorDatabase database) : PartitionLeaseStoreTests<PostgresCoordinatorDatabase>(database);
