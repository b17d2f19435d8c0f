namespace Workflow.Messaging.Engine.Nodes.Code;

/// <summary>Limits of the <c>code</c> node, bound from the <c>Nodes:Code</c> configuration section.</summary>
/// <remarks>
/// Every limit holds per run, and each is enforced inside Jint's built-ins too (a single
/// <c>join</c>, <c>sort</c> or <c>padStart</c> is stopped, not only the statements between them),
/// so a script that runs away ends within <see cref="Timeout"/> and frees its thread.
/// </remarks>
public sealed class CodeNodeOptions
{
    public const string SectionName = "Nodes:Code";

    /// <summary>Wall-clock limit of one script run; a node's <c>timeout</c> parameter may only shorten it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Statements one run may execute.</summary>
    public int MaxStatements { get; set; } = 1_000_000;

    /// <summary>Deepest JavaScript call nesting. Routes the count cannot see (getters, coercions) meet the stack guard.</summary>
    public int MaxRecursionDepth { get; set; } = 200;

    /// <summary>Bytes one run may allocate (an allocation budget, not a live-heap size).</summary>
    public long MaxMemoryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Longest array a script may create; beyond it the script fails at once instead of filling memory.</summary>
    public uint MaxArrayLength { get; set; } = 1_000_000;

    /// <summary>Longest one regular-expression match may take (catastrophic backtracking); never more than <see cref="Timeout"/>.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest script source accepted.</summary>
    public int MaxScriptLength { get; set; } = 64 * 1024;

    /// <summary>
    /// Scripts that may run at once in this process. Each runs on a thread of its own; a script's
    /// slot is given back only when its thread has ended, so scripts can never take every thread.
    /// Further scripts wait (within their attempt's timeout) for a slot.
    /// </summary>
    public int MaxConcurrentScripts { get; set; } = Math.Max(2, Environment.ProcessorCount);
}
