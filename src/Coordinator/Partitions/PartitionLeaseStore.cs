using Microsoft.EntityFrameworkCore;
using Workflow.Messaging.Coordinator.Persistence;

namespace Workflow.Messaging.Coordinator.Partitions;

/// <summary>What a coordinator sees of the assignment after its heartbeat: the live members and every partition's lease.</summary>
public sealed record PartitionView(IReadOnlyList<string> LiveMembers, IReadOnlyList<PartitionLeaseRow> Leases);

/// <summary>
/// The partition leases in the coordinators' database (PostgreSQL or SQLite). Claims and releases are
/// single conditional updates, so two coordinators racing for a partition cannot both win it. A lease
/// only decides who consumes a partition's queue; the saga's row lock or version check still keeps every
/// step correct, so a moment with two consumers (a lease that ran out under a slow holder) costs cache
/// misses, never a double decision.
/// </summary>
public sealed class PartitionLeaseStore(CoordinatorDbContext db)
{
    /// <summary>Members silent this long are deleted, so the table holds the recent past only.</summary>
    private static readonly TimeSpan ForgetMembersAfter = TimeSpan.FromHours(1);

    /// <summary>The expiry of a partition nobody holds: long past (UTC, as PostgreSQL's timestamptz wants).</summary>
    private static readonly DateTime Released = DateTime.UnixEpoch;

    /// <summary>
    /// Renews <paramref name="member"/> and every lease it holds until <paramref name="until"/>, makes sure
    /// partitions 0 … <paramref name="partitions"/>-1 exist, and reads the assignment.
    /// </summary>
    public async Task<PartitionView> HeartbeatAsync(string member, int partitions, DateTime now, DateTime until, CancellationToken cancellationToken)
    {
        var members = db.Set<CoordinatorMemberRow>();
        var leases = db.Set<PartitionLeaseRow>();
        if (await members.Where(m => m.MemberId == member).ExecuteUpdateAsync(s => s.SetProperty(m => m.ExpiresAt, until), cancellationToken) == 0)
            await InsertAsync(new CoordinatorMemberRow { MemberId = member, ExpiresAt = until }, cancellationToken);
        await leases.Where(l => l.Owner == member).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, until), cancellationToken);

        var all = await leases.AsNoTracking().OrderBy(l => l.Partition).ToListAsync(cancellationToken);
        var missing = Enumerable.Range(0, partitions).Except(all.Select(l => l.Partition)).ToList();
        if (missing.Count > 0)
        {
            // Only on the first rounds of a deployment (or after Partitions grew): then read what is there now.
            foreach (var partition in missing)
                await InsertAsync(new PartitionLeaseRow { Partition = partition, ExpiresAt = Released }, cancellationToken);
            all = await leases.AsNoTracking().OrderBy(l => l.Partition).ToListAsync(cancellationToken);
        }

        var forgetBefore = now - ForgetMembersAfter;
        await members.Where(m => m.ExpiresAt < forgetBefore).ExecuteDeleteAsync(cancellationToken);
        var live = await members.AsNoTracking().Where(m => m.ExpiresAt > now).Select(m => m.MemberId).ToListAsync(cancellationToken);
        return new PartitionView(live, all);
    }

    /// <summary>Takes <paramref name="partition"/> if it is free, expired or already this member's.</summary>
    public async Task<bool> ClaimAsync(string member, int partition, DateTime now, DateTime until, CancellationToken cancellationToken) =>
        await db.Set<PartitionLeaseRow>()
            .Where(l => l.Partition == partition && (l.Owner == null || l.Owner == member || l.ExpiresAt <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, member).SetProperty(l => l.ExpiresAt, until), cancellationToken) == 1;

    /// <summary>Gives <paramref name="partition"/> up, if this member still holds it.</summary>
    public Task ReleaseAsync(string member, int partition, CancellationToken cancellationToken) =>
        db.Set<PartitionLeaseRow>()
            .Where(l => l.Partition == partition && l.Owner == member)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, (string?)null).SetProperty(l => l.ExpiresAt, Released), cancellationToken);

    /// <summary>Releases everything the member holds and removes it, so the others rebalance at once instead of at expiry.</summary>
    public async Task LeaveAsync(string member, CancellationToken cancellationToken)
    {
        await db.Set<PartitionLeaseRow>()
            .Where(l => l.Owner == member)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, (string?)null).SetProperty(l => l.ExpiresAt, Released), cancellationToken);
        await db.Set<CoordinatorMemberRow>().Where(m => m.MemberId == member).ExecuteDeleteAsync(cancellationToken);
    }

    // Another coordinator may insert the same row at the same moment; then the row is there, which is all this wanted.
    private async Task InsertAsync(object row, CancellationToken cancellationToken)
    {
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
