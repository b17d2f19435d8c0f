namespace Workflow.Messaging.Coordinator.Api;

/// <summary>HTTP API settings, bound from the <c>Api</c> section.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";
    public const string KeyHeader = "X-Api-Key";

    /// <summary>
    /// Every <c>/api</c> request must carry one of <see cref="Keys"/> in <c>X-Api-Key</c>. Only the
    /// embedded mode (<c>wf serve</c>) turns it off; with it on and no keys, every call is refused.
    /// </summary>
    public bool RequireApiKey { get; set; } = true;

    /// <summary>Accepted keys (<c>Api:Keys:0</c>, <c>Api:Keys:1</c>, ...; env <c>Api__Keys__0</c>).</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>
    /// The host listens on loopback for one user (<c>wf serve</c>, <c>wf run --ui</c>): requests must
    /// name a loopback host, come from no other origin, and write JSON (see <see cref="LoopbackGuard"/>).
    /// </summary>
    public bool LoopbackOnly { get; set; }

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Node outputs one status read or event stream includes, in characters of JSON; outputs past
    /// it are left out (<c>outputOmitted</c>) and read per node at <c>/api/executions/{id}/nodes/{nodeId}/output</c>.
    /// </summary>
    public long MaxStatusOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest page of the execution list.</summary>
    public int MaxPageSize { get; set; } = 200;
}
