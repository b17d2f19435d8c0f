using System.Text.Json;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Validation;

namespace Workflow.Messaging.Cli.Commands;

/// <summary>Reads definition and input files, printing every problem in a form a person can act on.</summary>
internal static class DefinitionFile
{
    public static WorkflowDefinition? Read(string path, INodeTypeCatalog catalog, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"wf: definition file '{path}' does not exist.");
            return null;
        }
        var result = DefinitionReader.Read(File.ReadAllText(path), catalog);
        if (result.IsValid)
            return result.Definition;
        error.WriteLine($"wf: {path} is not a valid workflow definition ({result.Problems.Count} problem{(result.Problems.Count == 1 ? "" : "s")}):");
        foreach (var problem in result.Problems)
            error.WriteLine($"  {problem.Path}: {problem.Message} [{problem.Code}]");
        return null;
    }

    /// <summary>Input is inline JSON or <c>@file</c>; null input means none was given.</summary>
    public static bool TryReadInput(string? input, TextWriter error, out JsonElement? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(input))
            return true;
        var source = "--input";
        if (input.StartsWith('@'))
        {
            source = input[1..];
            if (!File.Exists(source))
            {
                error.WriteLine($"wf: input file '{source}' does not exist.");
                return false;
            }
            input = File.ReadAllText(source);
        }
        try
        {
            value = JsonDocument.Parse(input).RootElement.Clone();
            return true;
        }
        catch (JsonException exception)
        {
            error.WriteLine($"wf: {source} is not valid JSON: {exception.Message}");
            return false;
        }
    }
}
