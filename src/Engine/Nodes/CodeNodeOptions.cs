namespace Workflow.Messaging.Engine.Nodes;

/// <summary>Limits of the <c>code</c> node, bound from the <c>Nodes:Code</c> configuration section.</summary>
public sealed class CodeNodeOptions
{
    public const string SectionName = "Nodes:Code";

    /// <summary>Wall-clock limit of one script run; a node's <c>timeout</c> parameter may only shorten it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Statements one run may execute: bounds CPU, and with it allocation, since Jint 2 has no memory limit.</summary>
    public int MaxStatements { get; set; } = 1_000_000;

    /// <summary>Deepest JavaScript call nesting.</summary>
    public int MaxRecursionDepth { get; set; } = 200;

    /// <summary>Longest script source accepted.</summary>
    public int MaxScriptLength { get; set; } = 64 * 1024;
}
