using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>Thrown by an executor to fail an attempt with an explicit classification.</summary>
public sealed class NodeExecutionException : Exception
{
    public NodeExecutionException(NodeErrorKind kind, string message, string? code = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Code = code;
    }

    public NodeErrorKind Kind { get; }
    public string? Code { get; }

    public static NodeExecutionException Retryable(string message, string? code = null, Exception? inner = null) =>
        new(NodeErrorKind.Retryable, message, code, inner);

    public static NodeExecutionException Fatal(string message, string? code = null, Exception? inner = null) =>
        new(NodeErrorKind.Fatal, message, code, inner);
}
