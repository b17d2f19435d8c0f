using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.Bench.Chaos;

/// <summary>
/// A loopback HTTP endpoint standing in for a system with side effects. It applies a request once
/// per Idempotency-Key and counts every delivery, so a run shows how often the engine repeated a
/// call (at least once) and that the key kept the repeats from taking effect twice.
/// </summary>
internal sealed class SideEffectRecorder : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _deliveries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _appliedBody = new(StringComparer.Ordinal);
    private static readonly TimeSpan EffectLatency = TimeSpan.FromMilliseconds(300);
    private int _withoutKey;

    private SideEffectRecorder(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Requests received, repeats included.</summary>
    public int Deliveries => _deliveries.Values.Sum();

    /// <summary>Effects applied: one per distinct key.</summary>
    public int Applied => _appliedBody.Count;

    public int WithoutKey => _withoutKey;

    /// <summary>Effects applied per execution (the request body is the execution id).</summary>
    public IReadOnlyDictionary<string, int> AppliedPerExecution =>
        _appliedBody.Values.GroupBy(b => b, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public static async Task<SideEffectRecorder> StartAsync(CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var recorder = new SideEffectRecorder(app);
        app.MapPost("/effect", recorder.HandleAsync);
        await app.StartAsync(cancellation);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        recorder.Url = address.TrimEnd('/') + "/effect";
        return recorder;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = (await reader.ReadToEndAsync()).Trim().Trim('"');
        if (!request.Headers.TryGetValue("Idempotency-Key", out var values) || values.ToString() is not { Length: > 0 } key)
        {
            Interlocked.Increment(ref _withoutKey);
            return Results.BadRequest();
        }
        _deliveries.AddOrUpdate(key, 1, (_, n) => n + 1);
        _appliedBody.TryAdd(key, body);
        // A slow answer keeps calls in flight, so a killed worker leaves some applied but unanswered.
        await Task.Delay(EffectLatency);
        return Results.Ok(new { applied = key });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
