namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Settings of the <c>http</c> node, bound from the <c>Nodes:Http</c> configuration section.</summary>
public sealed class HttpNodeOptions
{
    public const string SectionName = "Nodes:Http";

    /// <summary>The named <see cref="IHttpClientFactory"/> client the node sends with.</summary>
    public const string ClientName = "workflow-http";

    /// <summary>
    /// Hosts requests may go to: an exact host name or <c>*.example.com</c> for its subdomains.
    /// Empty allows every host, because a workflow engine that calls nothing out of the box is of
    /// little use; production deployments should list their hosts.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; set; } = [];

    /// <summary>Used when a node gives no <c>timeout</c>.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
