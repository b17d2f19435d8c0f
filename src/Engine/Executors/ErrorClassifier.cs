using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>Turns an exception from an executor into a <see cref="NodeError"/>.</summary>
public static class ErrorClassifier
{
    /// <summary>
    /// Explicit classifications win. Otherwise errors that describe the input or the program
    /// (argument, format, JSON, not supported) are fatal, because another attempt would see the
    /// same input; anything else is treated as transient and left to the retry policy's bound.
    /// </summary>
    public static NodeError Classify(Exception exception) => exception switch
    {
        NodeExecutionException e => new NodeError { Kind = e.Kind, Message = e.Message, Code = e.Code },
        OperationCanceledException => new NodeError { Kind = NodeErrorKind.Retryable, Message = "The attempt timed out or was cancelled.", Code = "timeout" },
        TimeoutException e => new NodeError { Kind = NodeErrorKind.Retryable, Message = e.Message, Code = "timeout" },
        ArgumentException or FormatException or JsonException or NotSupportedException or InvalidCastException or KeyNotFoundException =>
            new NodeError { Kind = NodeErrorKind.Fatal, Message = exception.Message, Code = "invalid" },
        _ => new NodeError { Kind = NodeErrorKind.Retryable, Message = exception.Message, Code = exception.GetType().Name },
    };
}
