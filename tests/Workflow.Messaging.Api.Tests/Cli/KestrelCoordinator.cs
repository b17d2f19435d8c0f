using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Api.Tests.Infrastructure;

namespace Workflow.Messaging.Api.Tests.Cli;

/// <summary>The coordinator on real Kestrel on a free loopback port, so the CLI reaches it over HTTP like any client.</summary>
public sealed class KestrelCoordinator : CoordinatorFactory
{
    public KestrelCoordinator()
    {
        UseKestrel(0);
        StartServer();
        Address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal))
            .First();
    }

    public string Address { get; }
}
