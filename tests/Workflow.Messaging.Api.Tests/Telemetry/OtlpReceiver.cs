using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>A loopback OTLP/HTTP receiver that keeps every export body it is sent, by signal.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body, string? ApiKey)> _exports = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.MapPost("/ingest/otlp/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            receiver._exports.Enqueue((signal, buffer.ToArray(), request.Headers["X-Seq-ApiKey"].ToString()));
            // An empty ExportTrace/Logs/MetricsServiceResponse: full success.
            return Results.Bytes([], "application/x-protobuf");
        });
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Endpoint = new Uri($"{address}/ingest/otlp");
        return receiver;
    }

    public IReadOnlyList<byte[]> Bodies(string signal) => _exports.Where(e => e.Signal == signal).Select(e => e.Body).ToList();

    public IEnumerable<string?> ApiKeys => _exports.Select(e => e.ApiKey);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
