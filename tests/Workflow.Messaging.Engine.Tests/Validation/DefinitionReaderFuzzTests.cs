using System.Text.RegularExpressions;
using Workflow.Messaging.Engine.Validation;

namespace Workflow.Messaging.Engine.Tests.Validation;

public partial class DefinitionReaderFuzzTests
{
    private const int Mutations = 3000;

    [Fact]
    public void When_reading_thousands_of_mutated_definitions_then_no_exception_escapes_and_every_rejection_is_located()
    {
        var mutator = new DefinitionMutator(Definitions.DocsExample(), seed: 20261123);
        var failures = new List<string>();
        var rejected = 0;
        var codes = new HashSet<string>();

        for (var i = 0; i < Mutations; i++)
        {
            var json = mutator.Next();
            try
            {
                var result = DefinitionReader.Read(json, TestNodeTypeCatalog.Instance);
                if (result.IsValid)
                    continue;
                rejected++;
                codes.UnionWith(result.Problems.Select(p => p.Code));
                if (result.Problems.Count == 0)
                    failures.Add($"rejected without problems: {json}");
                foreach (var problem in result.Problems.Where(p => !p.Path.StartsWith('$') || !KebabCase().IsMatch(p.Code) || p.Message.Length == 0))
                    failures.Add($"{problem} in {json}");
            }
            catch (Exception e)
            {
                failures.Add($"{e.GetType().Name}: {e.Message} for {json}");
            }
        }

        failures.Should().BeEmpty();
        // Both outcomes must occur, or the mutations would not be testing much.
        rejected.Should().BeGreaterThan(Mutations / 2);
        rejected.Should().BeLessThan(Mutations);
        codes.Should().Contain(["malformed-json", "wrong-type", "unknown-property", "duplicate-node-id", "dangling-connection"],
            "the mutations should reach every stage of the reader: {0}", string.Join(", ", codes.Order()));
    }

    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")]
    private static partial Regex KebabCase();
}
