using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Engine.Nodes.Http;

/// <summary>Raised when every address of a host is one the egress policy refuses.</summary>
public sealed class EgressDeniedException(string message) : Exception(message);

/// <summary>
/// The http node's connection step (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the
/// host once, checks every address against the <see cref="EgressPolicy"/>, and connects only to the
/// checked addresses, so the address judged is the address connected to (no second lookup that a
/// rebinding DNS server could answer differently).
/// </summary>
public static class EgressConnector
{
    public static SocketsHttpHandler CreateHandler(IOptionsMonitor<HttpNodeOptions> options) => new()
    {
        AllowAutoRedirect = false,
        // A proxy would make the proxy's address the one connected to and checked.
        UseProxy = false,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, new EgressPolicy(options.CurrentValue), cancellationToken),
    };

    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, EgressPolicy policy, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        // Every address must pass: a name that also resolves to an internal address is refused
        // whole, rather than connected to whichever address happens to answer first.
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } refusal)
                throw new EgressDeniedException($"Egress to {endPoint.Host} is denied: {refusal}.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
