namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// Names of the ids on log scopes, span tags and metric tags. Logs and spans use the same names,
/// so one Seq search (<c>ExecutionId = '...'</c>) finds both.
/// </summary>
public static class TelemetryTags
{
    public const string ExecutionId = "ExecutionId";
    public const string WorkflowId = "WorkflowId";
    public const string NodeId = "NodeId";
    public const string NodeType = "NodeType";
    public const string Attempt = "Attempt";
    public const string ItemIndex = "ItemIndex";
    public const string WorkerId = "WorkerId";
    public const string Outcome = "Outcome";
    public const string Status = "Status";
    public const string Step = "Step";
}
