using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Workflow.Messaging.Persistence;
using Workflow.Messaging.Persistence.Bench;

// Transactions per consumed message and throughput of the two outbox algorithms on PostgreSQL.
// Usage: dotnet run -c Release --project bench/Workflow.Messaging.Persistence.Bench [messages] [sagas]
var messages = args.Length > 0 ? int.Parse(args[0]) : 1000;
var sagas = args.Length > 1 ? int.Parse(args[1]) : 50;
var configured = LocalServices.Postgres;

// A database of its own: pg_stat_database counts every commit in a database, including those of
// anything else connected to the shared one.
var connectionString = new NpgsqlConnectionStringBuilder(configured)
{
    Database = "workflow_persistence_bench",
    // A reset on a pooled connection would show up as an extra transaction per use.
    NoResetOnClose = true,
}.ConnectionString;
await CreateBenchDatabase();

var statReads = 0;
var results = new List<(OutboxDeliveryMode Mode, double TransactionsPerMessage, double MessagesPerSecond)>();
foreach (var mode in new[] { OutboxDeliveryMode.TwoTransactions, OutboxDeliveryMode.MassTransitLoop })
    results.Add(await Measure(mode));

Console.WriteLine();
Console.WriteLine($"{messages} messages over {sagas} saga instances, each consume updates the saga and publishes one message");
Console.WriteLine($"{"algorithm",-18} {"xact/message",12} {"messages/s",12}");
foreach (var (mode, transactions, rate) in results)
    Console.WriteLine($"{mode,-18} {transactions,12:F2} {rate,12:F0}");

async Task<(OutboxDeliveryMode, double, double)> Measure(OutboxDeliveryMode mode)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Services.AddDbContext<PingDbContext>(o => o.UseNpgsql(connectionString));
    builder.Services.AddSingleton<PongCounter>();
    builder.Services.AddMassTransit(x =>
    {
        x.AddWorkflowEntityFrameworkOutbox<PingDbContext>(o =>
        {
            o.DeliveryMode = mode;
            o.MaintenanceInterval = TimeSpan.FromHours(1);
        });
        x.AddSagaStateMachine<PingStateMachine, PingState, PingStateDefinition>()
            .WorkflowEntityFrameworkRepository(r =>
            {
                r.ExistingDbContext<PingDbContext>();
                r.UsePostgres();
            });
        x.AddConsumer<PongCounter>();
        x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
    });

    using var host = builder.Build();
    await RecreateSchema(host.Services);
    await host.StartAsync();

    var bus = host.Services.GetRequiredService<IBus>();
    var pongs = host.Services.GetRequiredService<PongCounter>();
    var ids = Enumerable.Range(0, sagas).Select(_ => NewId.NextGuid()).ToList();
    await Task.WhenAll(ids.Select(id => bus.Publish(new StartPinging(id))));
    await WaitUntil(async () => await CountPinging(host.Services) == sagas);

    var before = await CommittedTransactions();
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, messages).Select(i => bus.Publish(new Ping(ids[i % sagas]))));
    await WaitUntil(() => Task.FromResult(pongs.Received >= messages));
    stopwatch.Stop();

    // Stopping waits for consumes in flight, so their last transaction is counted too.
    await host.StopAsync();
    var after = await CommittedTransactions();
    var committed = after.Value - before.Value - before.PerRead * (after.Reads - before.Reads);
    var undelivered = await CountUndelivered(host.Services);
    if (undelivered != 0)
        throw new InvalidOperationException($"{mode}: {undelivered} inbox rows were never marked delivered");
    var transactions = committed / (double)messages;
    Console.WriteLine($"{mode}: {committed} transactions, {stopwatch.Elapsed.TotalSeconds:F1} s");
    return (mode, transactions, messages / stopwatch.Elapsed.TotalSeconds);
}

async Task CreateBenchDatabase()
{
    await using var connection = new NpgsqlConnection(configured);
    await connection.OpenAsync();
    await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'workflow_persistence_bench'", connection);
    if (await exists.ExecuteScalarAsync() == null)
    {
        await using var create = new NpgsqlCommand("CREATE DATABASE workflow_persistence_bench", connection);
        await create.ExecuteNonQueryAsync();
    }
}

async Task RecreateSchema(IServiceProvider services)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<PingDbContext>();
    await db.Database.ExecuteSqlRawAsync("DROP SCHEMA IF EXISTS persistence_bench CASCADE; CREATE SCHEMA persistence_bench");
    await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
}

async Task<int> CountPinging(IServiceProvider services)
{
    await using var scope = services.CreateAsyncScope();
    return await scope.ServiceProvider.GetRequiredService<PingDbContext>().Set<PingState>().CountAsync(x => x.CurrentState == "Pinging");
}

async Task<int> CountUndelivered(IServiceProvider services)
{
    await using var scope = services.CreateAsyncScope();
    return await scope.ServiceProvider.GetRequiredService<PingDbContext>().Set<InboxState>().CountAsync(x => x.Delivered == null);
}

// Backends flush their statistics when they exit, so close every pooled connection and read on a
// fresh unpooled connection until consecutive reads differ by the same amount: that amount is what
// a read itself costs, and it is subtracted for every read made inside the measured window.
async Task<(long Value, int Reads, long PerRead)> CommittedTransactions()
{
    NpgsqlConnection.ClearAllPools();
    var reader = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
    var values = new List<long>();
    while (true)
    {
        await Task.Delay(300);
        await using var connection = new NpgsqlConnection(reader);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        values.Add((long)(await command.ExecuteScalarAsync())!);
        statReads++;
        if (values.Count >= 3 && values[^1] - values[^2] == values[^2] - values[^3])
            return (values[^1], statReads, values[^1] - values[^2]);
    }
}

static async Task WaitUntil(Func<Task<bool>> condition)
{
    var deadline = DateTime.UtcNow.AddMinutes(5);
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
            throw new TimeoutException("The bench did not finish in 5 minutes");
        await Task.Delay(20);
    }
}
