namespace Workflow.Messaging.Contracts;

/// <summary>Well-known output port names.</summary>
public static class OutputPorts
{
    /// <summary>The regular output every node has.</summary>
    public const string Main = "main";

    /// <summary>Taken instead of <see cref="Main"/> when a node fails under <see cref="ErrorStrategy.ContinueErrorOutput"/>.</summary>
    public const string Error = "error";
}
