namespace Workflow.Messaging.Engine.Nodes.Http;

/// <summary>Settings of the <c>http</c> node, bound from the <c>Nodes:Http</c> configuration section.</summary>
public sealed class HttpNodeOptions
{
    public const string SectionName = "Nodes:Http";

    /// <summary>The named <see cref="IHttpClientFactory"/> client the node sends with.</summary>
    public const string ClientName = "workflow-http";

    /// <summary>
    /// Hosts requests may go to: an exact host name or <c>*.example.com</c> for its subdomains.
    /// Empty allows every host name; the addresses they resolve to still pass the egress policy.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Address ranges (CIDR such as <c>10.20.0.0/16</c>, or one address) opened although the egress
    /// policy denies them by default: loopback, private, link-local (cloud metadata), shared,
    /// multicast, reserved and unspecified addresses.
    /// </summary>
    public IReadOnlyList<string> AllowedNetworks { get; set; } = [];

    /// <summary>Opens loopback (127.0.0.0/8, ::1) for local development: a server on this machine.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Largest response body read; a longer one fails the node (fatal) instead of filling memory.</summary>
    public long MaxResponseBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Used when a node gives no <c>timeout</c>.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
