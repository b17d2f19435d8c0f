using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflow.Messaging.Contracts;

/// <summary>The JSON settings of the definition format: camelCase, comments and trailing commas allowed.</summary>
public static class WorkflowJson
{
    /// <summary>Options for reading and writing definitions and API bodies.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}
