namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Type names of the built-in nodes, as written in definitions.</summary>
public static class BuiltInNodeTypes
{
    public const string Noop = "noop";
    public const string Set = "set";
    public const string If = "if";
    public const string Switch = "switch";
    public const string Merge = "merge";
    public const string Delay = "delay";
    public const string Http = "http";
    public const string Code = "code";
    public const string Fail = "fail";
    public const string Wait = "wait";
    public const string Approval = "approval";
}
