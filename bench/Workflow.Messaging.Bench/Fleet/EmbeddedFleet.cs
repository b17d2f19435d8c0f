using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflow.Messaging.Bench.Measurement;
using Workflow.Messaging.Coordinator.Hosting;

namespace Workflow.Messaging.Bench.Fleet;

/// <summary>
/// Coordinator and workers in this process on the in-memory transport, exactly as <c>wf run</c>
/// boots them. A "worker" here is a block of <see cref="SlotsPerWorker"/> concurrent attempts,
/// since the in-memory transport has one consumer per queue.
/// </summary>
internal sealed class EmbeddedFleet : IBenchFleet
{
    public const int SlotsPerWorker = 8;
    private readonly IHost _host;
    private readonly string _databaseFile;

    private EmbeddedFleet(IHost host, string databaseFile)
    {
        _host = host;
        _databaseFile = databaseFile;
        Bus = host.Services.GetRequiredService<IBus>();
    }

    public string Mode { get; private init; } = "embedded";
    public IBus Bus { get; }
    public ProcessProbe Coordinator { get; } = ProcessProbe.Self("coordinator+workers");
    public IReadOnlyList<ProcessProbe> Workers => [];

    public static async Task<EmbeddedFleet> StartAsync(int workers, IReadOnlyDictionary<string, string?> settings, BenchProbes probes,
        bool watchHolds, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:ConcurrentMessageLimit"] = (workers * SlotsPerWorker).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Worker:PrefetchCount"] = (workers * SlotsPerWorker * 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        // The embedded default keeps its SQLite file in the working directory; the bench's goes to a
        // file of its own that is deleted afterwards.
        var database = Path.Combine(Path.GetTempPath(), $"workflow-bench-{Guid.NewGuid():N}.db");
        builder.Configuration["Persistence:ConnectionString"] = $"Data Source={database};Default Timeout=30";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(probes.Tracker);
        builder.Services.AddSingleton(probes.Holds);
        builder.Services.AddConsumeObserver(_ => new ExecuteNodeObserver(probes.Dispatch, TimeProvider.System));
        builder.Services.AddConsumeObserver(_ => probes.Messages);
        builder.Services.AddSendObserver(_ => probes.Messages);
        builder.Services.AddPublishObserver(_ => probes.Messages);
        builder.AddCoordinator(x =>
        {
            x.AddConsumer<FinishedWatcher>();
            // Only the hold measurement needs progress; elsewhere a consumer of it would add work of the bench's own.
            if (watchHolds)
                x.AddConsumer<HoldWatcher>();
        });
        var host = builder.Build();
        await host.StartAsync(cancellation);
        var provider = builder.Configuration["Persistence:Provider"] ?? "sqlite";
        return new EmbeddedFleet(host, database) { Mode = $"embedded ({provider.ToLowerInvariant()})" };
    }

    public Task<long?> CommittedTransactionsAsync(CancellationToken cancellation) => Task.FromResult<long?>(null);

    public Task<long?> PublishedMessagesAsync(CancellationToken cancellation) => Task.FromResult<long?>(null);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _databaseFile, _databaseFile + "-wal", _databaseFile + "-shm" })
            File.Delete(file);
    }
}
