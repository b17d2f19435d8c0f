using System.Text.Json;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Bench;

/// <summary>A workflow the bench runs: its definition, the input of each execution and how many node instances one execution runs.</summary>
internal sealed record BenchWorkflow(string Name, WorkflowDefinition Definition, JsonElement Input, int NodesPerExecution);
