using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Coordinator.Tests;

internal static class Define
{
    /// <summary>Parses a definition written in the documented JSON form.</summary>
    public static WorkflowDefinition Parse(string json) =>
        JsonSerializer.Deserialize<WorkflowDefinition>(json, WorkflowJson.Options)!;
}
