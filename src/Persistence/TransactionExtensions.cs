using Microsoft.EntityFrameworkCore.Storage;

namespace Workflow.Messaging.Persistence;

static class TransactionExtensions
{
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
