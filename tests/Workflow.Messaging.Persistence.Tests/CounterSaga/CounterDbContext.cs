using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Workflow.Messaging.Persistence.Tests.CounterSaga;

public class CounterDbContext : DbContext
{
    public CounterDbContext(DbContextOptions<CounterDbContext> options, DatabaseSchema schema)
        : base(options)
    {
        Schema = schema.Name;
        Optimistic = schema.Optimistic;
        RowCache = schema.RowCache;
    }

    public string? Schema { get; }

    public bool Optimistic { get; }

    public bool RowCache { get; }

    public DbSet<CounterState> Counters => Set<CounterState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        if (Schema != null)
            modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.ApplyConfiguration(new CounterStateMap());
        if (Optimistic || RowCache)
            modelBuilder.Entity<CounterState>().UseXminConcurrencyToken();
        modelBuilder.Entity<CounterIncrement>().HasIndex(x => new { x.CounterId, x.Value }).IsUnique();
        modelBuilder.AddWorkflowInboxOutboxEntities();
    }
}

/// <summary>
/// Each PostgreSQL test class works in a schema of its own; SQLite has none. Optimistic maps the
/// xmin concurrency token (PostgreSQL only) and selects the repository's optimistic mode. RowCache
/// maps the token too, keeps the pessimistic mode and puts a <see cref="SagaRowCache{TSaga}"/> in front of it.
/// </summary>
public sealed record DatabaseSchema(string? Name, bool Optimistic = false, bool RowCache = false);

/// <summary>EF caches one model per DbContext type; the schema must be part of that key.</summary>
public sealed class SchemaModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), (context as CounterDbContext)?.Schema, (context as CounterDbContext)?.Optimistic, (context as CounterDbContext)?.RowCache, designTime);
}
