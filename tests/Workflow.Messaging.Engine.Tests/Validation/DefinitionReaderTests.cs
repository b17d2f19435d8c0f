using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Validation;

namespace Workflow.Messaging.Engine.Tests.Validation;

public class DefinitionReaderTests
{
    private static DefinitionReadResult Read(string json, DefinitionLimits? limits = null) =>
        DefinitionReader.Read(json, TestNodeTypeCatalog.Instance, limits);

    [Fact]
    public void When_reading_the_documented_example_then_it_is_valid_and_complete()
    {
        var result = Read(Definitions.DocsExample());

        result.Problems.Should().BeEmpty();
        result.IsValid.Should().BeTrue();
        result.Definition!.Id.Should().Be("order-fulfilment");
        result.Definition.Nodes.Should().HaveCount(13);
        result.Definition.Connections.Should().HaveCount(16);
        var charge = result.Definition.Nodes.Single(n => n.Id == "charge-lines");
        charge.Timeout.Should().Be(TimeSpan.FromSeconds(10));
        charge.Retry!.InitialDelay.Should().Be(TimeSpan.FromMilliseconds(500));
        charge.OnError.Should().Be(ErrorStrategy.ContinueErrorOutput);
        result.Definition.Settings.ExecutionTimeout.Should().Be(TimeSpan.FromDays(1));
    }

    [Fact]
    public void When_every_member_of_the_contracts_is_written_then_the_reader_knows_each_and_round_trips_them()
    {
        var definition = new WorkflowDefinition
        {
            Id = "round-trip",
            Version = 2,
            Name = "Round trip",
            Nodes =
            [
                Definitions.Node("a", "http", """{"url":"https://x/{{ $execution.input.id }}"}""") with
                {
                    Name = "A",
                    Retry = new RetryPolicy { MaxAttempts = 4, InitialDelay = TimeSpan.FromSeconds(2), BackoffMultiplier = 3, MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0.5 },
                    Timeout = TimeSpan.FromSeconds(30),
                    OnError = ErrorStrategy.ContinueErrorOutput,
                    FanOut = new FanOutDefinition { Items = "{{ $execution.input.items }}" },
                    Pool = "http",
                },
                Definitions.Node("b"),
                Definitions.Node("c") with { Join = new JoinPolicy { Mode = JoinMode.NOfM, Count = 1 } },
            ],
            Connections = [Definitions.Connect("a", "b"), Definitions.Connect("a", "c", OutputPorts.Error), Definitions.Connect("b", "c")],
            Settings = new WorkflowSettings { ExecutionTimeout = TimeSpan.FromHours(1), MaxParallelNodes = 4 },
        };
        var json = System.Text.Json.JsonSerializer.Serialize(definition, WorkflowJson.Options);

        var result = Read(json);

        result.Problems.Should().BeEmpty();
        System.Text.Json.JsonSerializer.Serialize(result.Definition, WorkflowJson.Options).Should().Be(json);
    }

    [Fact]
    public void When_the_json_is_malformed_then_the_problem_gives_line_and_position()
    {
        const string json = "{\n  \"id\": \"x\",\n  \"nodes\": [ { \"id\": \"a\" \"type\": \"noop\" } ]\n}";

        var result = Read(json);

        result.IsValid.Should().BeFalse();
        result.Definition.Should().BeNull();
        var problem = result.Problems.Should().ContainSingle().Which;
        problem.Code.Should().Be("malformed-json");
        problem.Path.Should().Be("$");
        problem.Message.Should().Contain("line 3, position 26");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{ \"id\": \"x\", ")]
    [InlineData("not json")]
    public void When_the_document_is_not_json_then_it_is_malformed(string json) =>
        Read(json).Problems.Should().ContainSingle().Which.Code.Should().Be("malformed-json");

    [Fact]
    public void When_the_shape_is_wrong_in_several_places_then_every_place_is_reported()
    {
        const string json = """
            {
              "id": 42,
              "version": "two",
              "nodes": [
                { "id": "a", "retyr": { "maxAttempts": 3 } },
                { "id": "b", "type": "noop", "timeout": "soon", "onError": "explode", "join": { "mode": "all", "count": 1.5 } },
                null
              ],
              "connections": [ { "from": "a", "to": 7 }, { "from": "a", "to": "b", "From": "b" } ],
              "settings": null,
              "owner": "me"
            }
            """;

        var result = Read(json);

        result.Definition.Should().BeNull();
        result.Problems.Select(p => (p.Code, p.Path)).Should().BeEquivalentTo(new[]
        {
            ("wrong-type", "$.id"),
            ("wrong-type", "$.version"),
            ("unknown-property", "$.nodes[0].retyr"),
            ("missing-property", "$.nodes[0].type"),
            ("invalid-duration", "$.nodes[1].timeout"),
            ("invalid-value", "$.nodes[1].onError"),
            ("wrong-type", "$.nodes[1].join.count"),
            ("wrong-type", "$.nodes[2]"),
            ("wrong-type", "$.connections[0].to"),
            ("duplicate-property", "$.connections[1].from"),
            ("wrong-type", "$.settings"),
            ("unknown-property", "$.owner"),
        });
    }

    [Fact]
    public void When_the_root_is_not_an_object_then_it_is_a_wrong_type_at_the_root() =>
        Read("[1, 2]").Problems.Should().ContainSingle().Which.Should().Match<DefinitionProblem>(p => p.Code == "wrong-type" && p.Path == "$");

    [Fact]
    public void When_a_parameter_name_needs_quoting_then_the_path_quotes_it()
    {
        const string json = """{ "id": "x", "nodes": [ { "id": "a", "type": "noop", "parameters": { "content-type": 1, "content-type": 2 } } ] }""";

        Read(json).Problems.Should().ContainSingle().Which.Path.Should().Be("$.nodes[0].parameters['content-type']");
    }

    [Fact]
    public void When_the_shape_is_right_but_the_meaning_is_not_then_the_definition_comes_with_its_problems()
    {
        const string json = """
            {
              "id": "x",
              "nodes": [ { "id": "a", "type": "noop" }, { "id": "b", "type": "noop", "retry": { "maxAttempts": 0 } } ],
              "connections": [ { "from": "a", "to": "c" }, { "from": "a", "to": "b" } ]
            }
            """;

        var result = Read(json);

        result.IsValid.Should().BeFalse();
        result.Definition.Should().NotBeNull();
        result.Problems.Select(p => (p.Code, p.Path)).Should().BeEquivalentTo(new[]
        {
            ("invalid-retry", "$.nodes[1].retry.maxAttempts"),
            ("dangling-connection", "$.connections[0].to"),
        });
    }

    [Fact]
    public void Should_accept_comments_trailing_commas_a_schema_reference_and_milliseconds()
    {
        const string json = """
            {
              "$schema": "./workflow-definition.schema.json",
              // a comment
              "id": "x",
              "nodes": [ { "id": "a", "type": "noop", "timeout": 1500, }, ],
            }
            """;

        var result = Read(json);

        result.Problems.Should().BeEmpty();
        result.Definition!.Nodes[0].Timeout.Should().Be(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public void When_the_document_is_larger_than_the_limit_then_it_is_refused_before_parsing()
    {
        var oversized = new string('[', 2_000);

        var problem = Read(oversized, new DefinitionLimits { MaxBytes = 1_000 }).Problems.Should().ContainSingle().Which;

        problem.Code.Should().Be("definition-too-large");
        problem.Path.Should().Be("$");
    }

    [Fact]
    public void When_multibyte_text_pushes_the_document_over_the_limit_then_it_is_refused()
    {
        var json = $$"""{ "id": "x", "name": "{{new string('é', 600)}}", "nodes": [ { "id": "a", "type": "noop" } ] }""";

        Read(json, new DefinitionLimits { MaxBytes = 1_000 }).Problems.Should().ContainSingle().Which.Code.Should().Be("definition-too-large");
        Read(json, new DefinitionLimits { MaxBytes = 2_000 }).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("{{ ")]
    [InlineData("{{ $node[\\\"")]
    public void When_a_parameter_repeats_an_unclosed_template_opening_then_reading_stays_linear(string fragment)
    {
        var text = string.Concat(Enumerable.Repeat(fragment, 900_000 / fragment.Length)) + " }}";
        var json = $$"""{ "id": "x", "nodes": [ { "id": "a", "type": "set", "parameters": { "values": { "text": "{{text}}" } } } ] }""";
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = Read(json);

        result.Definition.Should().NotBeNull();
        // Generous for a noisy machine; a quadratic scan of this text takes hours.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("\"1e300d\"")]
    [InlineData("\"Infinitys\"")]
    [InlineData("1e300")]
    [InlineData("\"-5s\"")]
    public void When_a_duration_cannot_be_represented_then_it_is_a_problem_not_an_exception(string timeout)
    {
        var json = $$"""{ "id": "x", "nodes": [ { "id": "a", "type": "noop", "timeout": {{timeout}} } ] }""";

        Read(json).Problems.Should().ContainSingle().Which.Should().Match<DefinitionProblem>(p => p.Code == "invalid-duration" && p.Path == "$.nodes[0].timeout");
    }
}
