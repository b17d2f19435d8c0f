using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Messaging.Security.Tests.Infrastructure;

/// <summary>The same embedded host on real Kestrel on a free loopback port: framing (chunked bodies, Host headers) as a client sends it.</summary>
public sealed class KestrelEmbeddedCoordinator : EmbeddedCoordinator
{
    public KestrelEmbeddedCoordinator()
    {
        UseKestrel(0);
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal))
            .First());
    }

    public Uri Address { get; }

    public HttpClient CreateLoopbackClient() => new() { BaseAddress = Address };
}
