using System.Net;
using System.Net.Sockets;

namespace Workflow.Messaging.Engine.Nodes.Http;

/// <summary>
/// Which addresses an http node may connect to: every public address, and the ranges a host opened
/// (<see cref="HttpNodeOptions.AllowedNetworks"/>, <see cref="HttpNodeOptions.AllowLoopback"/>).
/// Decided on the address itself, never on the host name, so that a name resolving to an internal
/// address, a numeric host (<c>2130706433</c>, <c>0x7f000001</c>) or a rebinding DNS answer all
/// meet the same rule.
/// </summary>
public sealed class EgressPolicy
{
    private static readonly (IPNetwork Range, string Name)[] Denied =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT, some cloud metadata)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fc00::/7"), "private (unique local, cloud metadata)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    private readonly IPNetwork[] _allowed;

    public EgressPolicy(HttpNodeOptions options)
    {
        var allowed = options.AllowedNetworks.Select(ParseNetwork);
        _allowed = [.. options.AllowLoopback ? allowed.Concat(Loopback) : allowed];
    }

    /// <summary>Null when <paramref name="address"/> may be connected to; otherwise why not.</summary>
    public string? Refusal(IPAddress address)
    {
        var candidate = Embedded(address);
        if (_allowed.Any(n => n.Contains(candidate)))
            return null;
        foreach (var (range, name) in Denied)
        {
            if (range.Contains(candidate))
                return $"{candidate} is a {name} address ({range}); open it with Nodes:Http:AllowedNetworks"
                    + (name == "loopback" ? " or Nodes:Http:AllowLoopback" : "");
        }
        return null;
    }

    // An IPv6 address that carries an IPv4 one (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4
    // 2002::/16) reaches that IPv4 address, so it is judged as that address.
    private static IPAddress Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address;
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return new IPAddress(bytes.AsSpan(12, 4));
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
            return new IPAddress(bytes.AsSpan(2, 4));
        return address;
    }

    private static IPNetwork ParseNetwork(string text) =>
        IPNetwork.TryParse(text, out var network) ? network
        : IPAddress.TryParse(text, out var single) ? new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
        : throw new FormatException($"Nodes:Http:AllowedNetworks has '{text}', which is neither a CIDR range nor an IP address.");
}
