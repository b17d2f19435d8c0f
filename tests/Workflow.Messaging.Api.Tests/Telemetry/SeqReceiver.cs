using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.Api.Tests.Telemetry;

/// <summary>One CLEF event as Seq receives it: the <c>@</c> fields apart, the rest as properties (values as text).</summary>
public sealed record ClefEvent(string? Message, string? Level, string? TraceId, string? SpanId, IReadOnlyDictionary<string, string> Properties)
{
    public string? this[string property] => Properties.GetValueOrDefault(property);
}

/// <summary>
/// A loopback stand-in for Seq's ingestion endpoint: newline-delimited compact JSON (CLEF,
/// <c>application/vnd.serilog.clef</c>) with the <c>X-Seq-ApiKey</c> header, answered with 201 and
/// the minimum level Seq would accept (none). Seq takes CLEF on <c>/ingest/clef</c> and on
/// <c>/api/events/raw</c>; Serilog.Sinks.Seq 9.1 posts to the latter, so both are served.
/// </summary>
public sealed class SeqReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ClefEvent> _events = new();
    private readonly ConcurrentQueue<string> _apiKeys = new();
    private readonly ConcurrentQueue<string> _contentTypes = new();

    private SeqReceiver(WebApplication app) => _app = app;

    public Uri ServerUrl { get; private set; } = null!;

    public IReadOnlyList<ClefEvent> Events => [.. _events];

    /// <summary>The <c>X-Seq-ApiKey</c> of every batch ("" when a batch came without one).</summary>
    public IReadOnlyList<string> ApiKeys => [.. _apiKeys];

    public static async Task<SeqReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new SeqReceiver(builder.Build());
        receiver._app.MapPost("/ingest/clef", receiver.IngestAsync);
        receiver._app.MapPost("/api/events/raw", receiver.IngestAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.ServerUrl = new Uri(address);
        return receiver;
    }

    /// <summary>The media type of every batch.</summary>
    public IReadOnlyList<string> ContentTypes => [.. _contentTypes];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> IngestAsync(HttpRequest request)
    {
        _apiKeys.Enqueue(request.Headers["X-Seq-ApiKey"].ToString());
        _contentTypes.Enqueue(request.ContentType ?? "");
        using var reader = new StreamReader(request.Body);
        while (await reader.ReadLineAsync() is { } line)
            if (!string.IsNullOrWhiteSpace(line))
                _events.Enqueue(Parse(line));
        return Results.Json(new { MinimumLevelAccepted = (string?)null }, statusCode: StatusCodes.Status201Created);
    }

    private static ClefEvent Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var fields = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => Text(p.Value), StringComparer.Ordinal);
        var properties = fields.Where(f => !f.Key.StartsWith('@')).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        return new ClefEvent(
            fields.GetValueOrDefault("@m") ?? fields.GetValueOrDefault("@mt"),
            fields.GetValueOrDefault("@l") ?? "Information", // CLEF leaves out the level of Information events
            fields.GetValueOrDefault("@tr"),
            fields.GetValueOrDefault("@sp"),
            properties);
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
