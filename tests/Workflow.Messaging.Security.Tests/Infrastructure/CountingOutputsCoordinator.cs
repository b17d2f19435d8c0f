using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Coordinator.Outputs;

namespace Workflow.Messaging.Security.Tests.Infrastructure;

/// <summary>The embedded host with its output store counting what reads load, so a test sees what a request cost.</summary>
public sealed class CountingOutputsCoordinator : EmbeddedCoordinator
{
    public CountingOutputStore Outputs => Services.GetRequiredService<CountingOutputStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<InMemoryExecutionOutputStore>();
            services.AddSingleton<CountingOutputStore>();
            services.AddSingleton<IExecutionOutputStore>(sp => sp.GetRequiredService<CountingOutputStore>());
        });
    }
}

public sealed class CountingOutputStore(InMemoryExecutionOutputStore inner) : IExecutionOutputStore
{
    private long _loadedCharacters;

    /// <summary>Characters of JSON handed out by whole-node loads since the last <see cref="Reset"/>.</summary>
    public long LoadedCharacters => Interlocked.Read(ref _loadedCharacters);

    public void Reset() => Interlocked.Exchange(ref _loadedCharacters, 0);

    public Task SaveAsync(Guid executionId, string nodeId, int? itemIndex, JsonElement output, bool mayReplace, CancellationToken cancellationToken) =>
        inner.SaveAsync(executionId, nodeId, itemIndex, output, mayReplace, cancellationToken);

    public async Task<IReadOnlyDictionary<string, JsonElement>> LoadAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken)
    {
        var loaded = await inner.LoadAsync(executionId, nodeIds, cancellationToken);
        Interlocked.Add(ref _loadedCharacters, loaded.Values.Sum(v => (long)v.GetRawText().Length));
        return loaded;
    }

    public Task<IReadOnlyDictionary<string, long>> SizesAsync(Guid executionId, IReadOnlyCollection<string> nodeIds, CancellationToken cancellationToken) =>
        inner.SizesAsync(executionId, nodeIds, cancellationToken);

    public Task<IReadOnlyList<JsonElement>> LoadItemsAsync(Guid executionId, string nodeId, int itemCount, CancellationToken cancellationToken) =>
        inner.LoadItemsAsync(executionId, nodeId, itemCount, cancellationToken);
}
