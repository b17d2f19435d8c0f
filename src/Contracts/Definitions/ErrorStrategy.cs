using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>What a node's final failure does to the execution.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ErrorStrategy>))]
public enum ErrorStrategy
{
    /// <summary>The execution fails; running nodes are cancelled.</summary>
    [JsonStringEnumMemberName("stopWorkflow")] StopWorkflow,

    /// <summary>The error becomes the node's output on its <c>main</c> port and the flow goes on.</summary>
    [JsonStringEnumMemberName("continueRegularOutput")] ContinueRegularOutput,

    /// <summary>The error becomes the node's output on its <c>error</c> port; <c>main</c> is not taken.</summary>
    [JsonStringEnumMemberName("continueErrorOutput")] ContinueErrorOutput,
}
