using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes;
using static Workflow.Messaging.Engine.Tests.Nodes.NodeTestContext;

namespace Workflow.Messaging.Engine.Tests.Nodes;

public class ControlFlowNodeTests
{
    [Fact]
    public async Task Noop_passes_its_input_on_main()
    {
        var result = await new NoopNode().ExecuteAsync(Create("noop", input: """{"a":1}"""), default);

        result.Ports.Should().Equal("main");
        result.Output.GetProperty("a").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Set_outputs_the_values_only()
    {
        var result = await new SetNode().ExecuteAsync(Create("set", """{"values":{"b":2}}""", """{"a":1}"""), default);

        result.Output.GetRawText().Should().Be("""{"b":2}""");
    }

    [Fact]
    public async Task Set_with_keepInput_overrides_input_properties()
    {
        var result = await new SetNode().ExecuteAsync(Create("set", """{"values":{"b":3},"keepInput":true}""", """{"a":1,"b":2}"""), default);

        result.Output.GetProperty("a").GetInt32().Should().Be(1);
        result.Output.GetProperty("b").GetInt32().Should().Be(3);
    }

    [Theory]
    [InlineData("""{"left":5,"operator":"eq","right":"5"}""", true)]
    [InlineData("""{"left":"10","operator":"gt","right":9}""", true)]
    [InlineData("""{"left":"10","operator":"gt","right":"9"}""", true)]
    [InlineData("""{"left":"apple","operator":"lt","right":"banana"}""", true)]
    [InlineData("""{"left":"B","operator":"lt","right":"a"}""", true)]
    [InlineData("""{"left":3,"operator":"gte","right":3}""", true)]
    [InlineData("""{"left":3,"operator":"lte","right":2}""", false)]
    [InlineData("""{"left":"abc","operator":"ne","right":"abd"}""", true)]
    [InlineData("""{"left":"hello world","operator":"contains","right":"lo w"}""", true)]
    [InlineData("""{"left":[1,2,3],"operator":"contains","right":2}""", true)]
    [InlineData("""{"left":{"k":1},"operator":"contains","right":"k"}""", true)]
    [InlineData("""{"left":"hello","operator":"startsWith","right":"he"}""", true)]
    [InlineData("""{"left":"hello","operator":"endsWith","right":"lo"}""", true)]
    [InlineData("""{"left":0,"operator":"exists"}""", true)]
    [InlineData("""{"left":null,"operator":"exists"}""", false)]
    [InlineData("""{"operator":"notExists"}""", true)]
    [InlineData("""{"left":[],"operator":"isEmpty"}""", true)]
    [InlineData("""{"left":"","operator":"isNotEmpty"}""", false)]
    [InlineData("""{"left":"true","operator":"isTrue"}""", true)]
    [InlineData("""{"left":false,"operator":"isFalse"}""", true)]
    [InlineData("""{"left":"order-42","operator":"regex","right":"^order-\\d+$"}""", true)]
    [InlineData("""{"left":{"x":[1,2]},"operator":"eq","right":{"x":[1,2]}}""", true)]
    public async Task If_evaluates_each_operator(string condition, bool expected)
    {
        var result = await new IfNode().ExecuteAsync(Create("if", $$"""{"conditions":[{{condition}}]}""", """{"v":1}"""), default);

        result.Ports.Should().Equal(expected ? "true" : "false");
        result.Output.GetProperty("v").GetInt32().Should().Be(1);
    }

    [Theory]
    [InlineData("and", "false")]
    [InlineData("or", "true")]
    public async Task If_combines_conditions(string combine, string expectedPort)
    {
        var parameters = $$"""{"combine":"{{combine}}","conditions":[{"left":1,"operator":"eq","right":1},{"left":1,"operator":"eq","right":2}]}""";

        var result = await new IfNode().ExecuteAsync(Create("if", parameters), default);

        result.Ports.Should().Equal(expectedPort);
    }

    [Fact]
    public void If_validation_names_an_unknown_operator()
    {
        var problems = new IfNode().Descriptor.ValidateParameters!(Parameters("""{"conditions":[{"left":1,"operator":"equals","right":1}],"combine":"xor"}"""));

        problems.Select(p => p.Parameter).Should().BeEquivalentTo("conditions[0].operator", "combine");
    }

    [Fact]
    public async Task If_with_an_invalid_regex_fails_fatally()
    {
        var act = () => new IfNode().ExecuteAsync(Create("if", """{"conditions":[{"left":"a","operator":"regex","right":"("}]}"""), default);

        (await act.Should().ThrowAsync<NodeExecutionException>()).Which.Kind.Should().Be(NodeErrorKind.Fatal);
    }

    [Theory]
    [InlineData("b", "b")]
    [InlineData("z", "default")]
    public async Task Switch_takes_the_matching_case_or_default(string value, string expectedPort)
    {
        var result = await new SwitchNode().ExecuteAsync(Create("switch", $$"""{"value":"{{value}}","cases":["a","b"]}"""), default);

        result.Ports.Should().Equal(expectedPort);
    }

    [Fact]
    public void Switch_ports_are_the_cases_and_default()
    {
        var ports = new SwitchNode().Descriptor.PortsFromParameters!(Parameters("""{"value":"x","cases":["a","b"]}"""));

        ports.Should().Equal("a", "b", "default");
    }

    [Fact]
    public void Switch_validation_rejects_repeated_and_reserved_cases()
    {
        var problems = new SwitchNode().Descriptor.ValidateParameters!(Parameters("""{"value":"x","cases":["a","a","default"]}""")).ToList();

        problems.Should().HaveCount(2).And.OnlyContain(p => p.Parameter == "cases");
    }

    [Fact]
    public async Task Merge_passes_the_keyed_object_by_default()
    {
        var result = await new MergeNode().ExecuteAsync(Create("merge", input: """{"a":1,"b":2}"""), default);

        result.Output.GetRawText().Should().Be("""{"a":1,"b":2}""");
    }

    [Fact]
    public async Task Merge_in_array_mode_lists_values_in_key_order()
    {
        var result = await new MergeNode().ExecuteAsync(Create("merge", """{"mode":"array"}""", """{"a":{"x":1},"b":{"x":2}}"""), default);

        result.Output.GetRawText().Should().Be("""[{"x":1},{"x":2}]""");
    }

    [Fact]
    public async Task Fail_fails_fatally_by_default()
    {
        var act = () => new FailNode().ExecuteAsync(Create("fail", """{"message":"boom"}"""), default);

        var error = (await act.Should().ThrowAsync<NodeExecutionException>()).Which;
        error.Kind.Should().Be(NodeErrorKind.Fatal);
        error.Message.Should().Be("boom");
    }

    [Fact]
    public async Task Fail_with_failTimes_succeeds_after_that_many_attempts()
    {
        const string parameters = """{"retryable":true,"failTimes":2}""";

        var second = () => new FailNode().ExecuteAsync(Create("fail", parameters, attempt: 2), default);
        (await second.Should().ThrowAsync<NodeExecutionException>()).Which.Kind.Should().Be(NodeErrorKind.Retryable);

        var third = await new FailNode().ExecuteAsync(Create("fail", parameters, """{"ok":true}""", attempt: 3), default);
        third.Output.GetProperty("ok").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Delay_waits_then_passes_input_on()
    {
        var started = DateTime.UtcNow;

        var result = await new DelayNode().ExecuteAsync(Create("delay", """{"duration":"100ms"}""", """{"a":1}"""), default);

        (DateTime.UtcNow - started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90));
        result.Output.GetProperty("a").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Delay_honours_cancellation()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var act = () => new DelayNode().ExecuteAsync(Create("delay", """{"duration":"30s"}"""), cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Wait_and_delay_validation_reject_a_bad_duration_but_accept_a_template()
    {
        HeldNodeTypes.Wait.ValidateParameters!(Parameters("""{"duration":"soon"}""")).Should().ContainSingle(p => p.Parameter == "duration");
        new DelayNode().Descriptor.ValidateParameters!(Parameters("""{"duration":"{{ $input.wait }}"}""")).Should().BeEmpty();
    }
}
