using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Workflow.Messaging.Persistence;

static class TransactionExtensions
{
    /// <summary>
    /// Begins the unit of work of a consume, a delivery or a cleanup. A failure anywhere in it rolls
    /// the whole transaction back, so EF's automatic savepoint around every SaveChanges would buy
    /// nothing and cost two round trips each (SAVEPOINT, RELEASE). The one place that must survive a
    /// failed statement inside the transaction (the saga insert) takes its own savepoint.
    /// </summary>
    public static Task<IDbContextTransaction> BeginUnitOfWorkAsync(this DatabaseFacade database, IsolationLevel isolationLevel,
        CancellationToken cancellationToken)
    {
        database.AutoSavepointsEnabled = false;
        return database.BeginTransactionAsync(isolationLevel, cancellationToken);
    }

    /// <summary>
    /// The original failure is what the caller must see; a rollback on a broken connection would
    /// only hide it (the server discards the transaction anyway).
    /// </summary>
    public static async Task RollbackQuietly(this IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.Data.Common.DbException)
        {
            // Connection already gone: nothing left to roll back.
        }
    }
}
