using System.Reflection;
using System.Text.Json;
using NJsonSchema;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Tests.Validation;

public class DefinitionSchemaTests
{
    private static readonly string SchemaPath = Definitions.TestData("workflow-definition.schema.json");

    [Fact]
    public void Should_be_valid_json_that_declares_draft_07()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath));

        document.RootElement.GetProperty("$schema").GetString().Should().Be("http://json-schema.org/draft-07/schema#");
    }

    [Fact]
    public async Task When_checking_the_documented_example_then_the_schema_accepts_it()
    {
        var schema = await JsonSchema.FromFileAsync(SchemaPath);

        schema.Validate(Definitions.DocsExample()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{ "nodes": [ { "id": "a", "type": "noop" } ] }""", "id")]
    [InlineData("""{ "id": "x", "nodes": [ { "id": "a", "type": "noop", "retyr": {} } ] }""", "retyr")]
    [InlineData("""{ "id": "x", "nodes": [ { "id": "a b", "type": "noop" } ] }""", "id")]
    [InlineData("""{ "id": "x", "nodes": [ { "id": "a", "type": "noop", "timeout": "soon" } ] }""", "timeout")]
    [InlineData("""{ "id": "x", "nodes": [ { "id": "a", "type": "noop", "onError": "explode" } ] }""", "onError")]
    [InlineData("""{ "id": "x", "nodes": [ { "id": "a", "type": "noop", "retry": { "maxAttempts": 0 } } ] }""", "maxAttempts")]
    [InlineData("""{ "id": "x", "nodes": [] }""", "nodes")]
    public async Task When_checking_a_definition_with_a_shape_error_then_the_schema_rejects_it(string json, string property)
    {
        var schema = await JsonSchema.FromFileAsync(SchemaPath);

        var errors = schema.Validate(json);

        errors.Should().NotBeEmpty();
        errors.Select(e => e.ToString()).Should().Contain(e => e.Contains(property, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(typeof(WorkflowDefinition), "#")]
    [InlineData(typeof(NodeDefinition), "#/definitions/node")]
    [InlineData(typeof(ConnectionDefinition), "#/definitions/connection")]
    [InlineData(typeof(RetryPolicy), "#/definitions/retry")]
    [InlineData(typeof(JoinPolicy), "#/definitions/join")]
    [InlineData(typeof(WorkflowSettings), "#/definitions/settings")]
    public void Should_name_exactly_the_properties_of_the_contract(Type contract, string pointer)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var node = pointer.Split('/').Skip(1).Aggregate(document.RootElement, (at, name) => at.GetProperty(name));

        var inSchema = node.GetProperty("properties").EnumerateObject().Select(p => p.Name).Where(n => n != "$schema");
        var inContract = contract.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

        inSchema.Should().BeEquivalentTo(inContract);
    }
}
