using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.Security.Tests.Http;

/// <summary>
/// An internal service on loopback, as a probe would aim at: counts every request that reaches it,
/// and can answer with a body of any size.
/// </summary>
public sealed class ListeningServer : IAsyncLifetime
{
    private WebApplication? _app;
    private int _requests;

    public int Port { get; private set; }
    public int Requests => Volatile.Read(ref _requests);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requests);
            await next(context);
        });
        _app.MapGet("/secret", () => Results.Text("internal-only"));
        _app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        // Sent chunked: no Content-Length announces the size.
        _app.MapGet("/stream/{megabytes:int}", async (int megabytes, HttpResponse response, CancellationToken aborted) =>
        {
            response.ContentType = "text/plain";
            var chunk = new byte[1024 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (var i = 0; i < megabytes && !aborted.IsCancellationRequested; i++)
                await response.Body.WriteAsync(chunk, aborted);
        });
        _app.MapGet("/declared/{megabytes:int}", async (int megabytes, HttpResponse response, CancellationToken aborted) =>
        {
            response.ContentType = "text/plain";
            response.ContentLength = megabytes * 1024L * 1024;
            var chunk = new byte[1024 * 1024];
            for (var i = 0; i < megabytes && !aborted.IsCancellationRequested; i++)
                await response.Body.WriteAsync(chunk, aborted);
        });
        await _app.StartAsync();
        Port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
