using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Validation;
using static Workflow.Messaging.Engine.Tests.Validation.Definitions;

namespace Workflow.Messaging.Engine.Tests.Validation;

public class DefinitionValidatorTests
{
    private static readonly Dictionary<string, (Func<WorkflowDefinition> Definition, (string Code, string Path)[] Expected)> BadDefinitions = new()
    {
        ["empty workflow id"] = (() => Chain() with { Id = " " }, [("missing-id", "$.id")]),
        ["version zero"] = (() => Chain() with { Version = 0 }, [("invalid-version", "$.version")]),
        ["no nodes"] = (() => Definition([]), [("no-nodes", "$.nodes")]),
        ["repeated node id"] = (() => Definition([Node("a"), Node("b"), Node("a")]), [("duplicate-node-id", "$.nodes[2].id")]),
        ["node id with a space"] = (() => Definition([Node("load customer")]), [("invalid-node-id", "$.nodes[0].id")]),
        ["node id with a dot"] = (() => Definition([Node("a.b")]), [("invalid-node-id", "$.nodes[0].id")]),
        ["empty node id"] = (() => Definition([Node("")]), [("missing-node-id", "$.nodes[0].id")]),
        ["unknown node type"] = (() => Definition([Node("a", "htp")]), [("unknown-node-type", "$.nodes[0].type")]),
        ["missing required parameter"] = (() => Definition([Node("a", "http", """{"method":"GET"}""")]), [("missing-parameter", "$.nodes[0].parameters.url")]),
        ["parameter the type rejects"] = (() => Definition([Node("a", "http", """{"url":"https://x","method":"FETCH"}""")]), [("invalid-parameter", "$.nodes[0].parameters.method")]),
        ["connection to an unknown node"] = (() => Chain() with { Connections = [Connect("start", "middle"), Connect("middle", "end"), Connect("end", "ghost")] },
            [("dangling-connection", "$.connections[2].to")]),
        ["connection from an unknown node"] = (() => Chain() with { Connections = [Connect("ghost", "start"), Connect("start", "middle"), Connect("middle", "end")] },
            [("dangling-connection", "$.connections[0].from")]),
        ["repeated connection"] = (() => Chain() with { Connections = [Connect("start", "middle"), Connect("middle", "end"), Connect("start", "middle")] },
            [("duplicate-connection", "$.connections[2]")]),
        ["self-loop"] = (() => Chain() with { Connections = [Connect("start", "middle"), Connect("middle", "end"), Connect("end", "end")] },
            [("self-loop", "$.connections[2]")]),
        ["port the type does not emit"] = (() => Definition([If("check"), Node("next")], Connect("check", "next")),
            [("unknown-output-port", "$.connections[0].output")]),
        ["switch case port that is not a case"] = (() => Definition([Switch("route"), Node("gold"), Node("bronze")], Connect("route", "gold", "gold"), Connect("route", "bronze", "bronze")),
            [("unknown-output-port", "$.connections[1].output")]),
        ["error port without continueErrorOutput"] = (() => Definition([Node("risky"), Node("handler")], Connect("risky", "handler", "error")),
            [("error-port-not-enabled", "$.connections[0].output")]),
        ["every node has an incoming connection"] = (() => Definition([Node("a"), Node("b")], Connect("a", "b"), Connect("b", "a")),
            [("cycle", "$.connections[0]"), ("no-start-node", "$.nodes")]),
        ["cycle beside a start node"] = (() => Definition([Node("s"), Node("a"), Node("b")], Connect("a", "b"), Connect("b", "a")),
            [("cycle", "$.connections[0]"), ("unreachable-node", "$.nodes[1]"), ("unreachable-node", "$.nodes[2]")]),
        ["retry with no attempt"] = (() => Chain() with { Nodes = [Node("start") with { Retry = new RetryPolicy { MaxAttempts = 0 } }, Node("middle"), Node("end")] },
            [("invalid-retry", "$.nodes[0].retry.maxAttempts")]),
        ["zero timeout"] = (() => Definition([Node("a") with { Timeout = TimeSpan.Zero }]), [("invalid-timeout", "$.nodes[0].timeout")]),
        ["n-of-m count above the incoming connections"] = (() => Join(new JoinPolicy { Mode = JoinMode.NOfM, Count = 3 }, incoming: 2),
            [("invalid-join", "$.nodes[2].join.count")]),
        ["n-of-m without count"] = (() => Join(new JoinPolicy { Mode = JoinMode.NOfM }, incoming: 2), [("invalid-join", "$.nodes[2].join.count")]),
        ["n-of-m on a node with one input"] = (() => Join(new JoinPolicy { Mode = JoinMode.NOfM, Count = 1 }, incoming: 1),
            [("join-needs-several-inputs", "$.nodes[2].join.mode")]),
        ["fan-out items without a template"] = (() => Definition([Node("a") with { FanOut = new FanOutDefinition { Items = "$input.orders" } }]),
            [("invalid-fan-out", "$.nodes[0].fanOut.items")]),
        ["resource with capitals and a space"] = (() => Definition([Node("a") with { Resource = "Payments API" }]), [("invalid-resource", "$.nodes[0].resource")]),
        ["pool with capitals and a space"] = (() => Definition([Node("a") with { Pool = "HTTP pool" }]), [("invalid-pool", "$.nodes[0].pool")]),
        ["no parallelism allowed"] = (() => Chain() with { Settings = new WorkflowSettings { MaxParallelNodes = 0 } }, [("invalid-settings", "$.settings.maxParallelNodes")]),
        ["no concurrent execution allowed"] = (() => Chain() with { Settings = new WorkflowSettings { MaxConcurrentExecutions = 0 } },
            [("invalid-settings", "$.settings.maxConcurrentExecutions")]),
        ["a million concurrent executions"] = (() => Chain() with { Settings = new WorkflowSettings { MaxConcurrentExecutions = 1_000_000 } },
            [("invalid-settings", "$.settings.maxConcurrentExecutions")]),
        ["negative execution timeout"] = (() => Chain() with { Settings = new WorkflowSettings { ExecutionTimeout = TimeSpan.FromSeconds(-1) } },
            [("invalid-settings", "$.settings.executionTimeout")]),
        ["template naming a missing node"] = (() => Definition([Node("a", "set", """{"values":{"x":"{{ $node.ghost.output.x }}"}}""")]),
            [("unknown-node-reference", "$.nodes[0].parameters.values.x")]),
        ["template reading a node that runs later"] = (() => Definition([Node("a", "http", """{"url":"https://x/{{ $node.b.output.id }}"}"""), Node("b")], Connect("a", "b")),
            [("node-reference-not-upstream", "$.nodes[0].parameters.url")]),
    };

    public static TheoryData<string> BadDefinitionNames => [.. BadDefinitions.Keys];

    [Theory]
    [MemberData(nameof(BadDefinitionNames))]
    public void When_a_definition_has_one_mistake_then_exactly_its_problems_are_reported(string scenario)
    {
        var (definition, expected) = BadDefinitions[scenario];

        var problems = DefinitionValidator.Validate(definition(), TestNodeTypeCatalog.Instance);

        problems.Select(p => (p.Code, p.Path)).Should().BeEquivalentTo(expected);
        problems.Should().OnlyContain(p => p.Message.Length > 0);
    }

    [Fact]
    public void When_the_connections_form_a_cycle_then_the_cycle_is_named_with_one_of_its_connections()
    {
        var definition = Definition([Node("s"), Node("a"), Node("b"), Node("c")],
            Connect("s", "a"), Connect("a", "b"), Connect("b", "c"), Connect("c", "a"));

        var problems = DefinitionValidator.Validate(definition, TestNodeTypeCatalog.Instance);

        var cycle = problems.Should().ContainSingle().Which;
        cycle.Code.Should().Be("cycle");
        cycle.Path.Should().Be("$.connections[1]");
        cycle.Message.Should().Contain("a -> b -> c -> a");
    }

    [Fact]
    public void When_every_retry_value_is_out_of_range_then_each_is_reported_at_its_own_path()
    {
        var retry = new RetryPolicy
        {
            MaxAttempts = 101,
            InitialDelay = TimeSpan.FromSeconds(-1),
            BackoffMultiplier = 0.5,
            MaxDelay = TimeSpan.FromSeconds(-2),
            Jitter = 1.5,
        };
        var definition = Definition([Node("a") with { Retry = retry }]);

        var problems = DefinitionValidator.Validate(definition, TestNodeTypeCatalog.Instance);

        problems.Should().OnlyContain(p => p.Code == "invalid-retry");
        problems.Select(p => p.Path).Should().BeEquivalentTo(
            "$.nodes[0].retry.maxAttempts", "$.nodes[0].retry.initialDelay", "$.nodes[0].retry.backoffMultiplier",
            "$.nodes[0].retry.maxDelay", "$.nodes[0].retry.jitter");
    }

    [Fact]
    public void When_a_definition_has_several_problems_then_all_are_listed()
    {
        var definition = new WorkflowDefinition
        {
            Id = "",
            Version = -1,
            Nodes =
            [
                Node("start"),
                Node("fetch", "http") with { Timeout = TimeSpan.FromSeconds(-5), Pool = "Fast!" },
                Node("start", "nope"),
            ],
            Connections = [Connect("start", "fetch"), Connect("fetch", "missing"), Connect("fetch", "start", "error")],
            Settings = new WorkflowSettings { MaxParallelNodes = 20_000 },
        };

        var problems = DefinitionValidator.Validate(definition, TestNodeTypeCatalog.Instance);

        problems.Select(p => (p.Code, p.Path)).Should().BeEquivalentTo(new[]
        {
            ("missing-id", "$.id"),
            ("invalid-version", "$.version"),
            ("invalid-settings", "$.settings.maxParallelNodes"),
            ("missing-parameter", "$.nodes[1].parameters.url"),
            ("invalid-timeout", "$.nodes[1].timeout"),
            ("invalid-pool", "$.nodes[1].pool"),
            ("duplicate-node-id", "$.nodes[2].id"),
            ("unknown-node-type", "$.nodes[2].type"),
            ("dangling-connection", "$.connections[1].to"),
            ("error-port-not-enabled", "$.connections[2].output"),
            ("cycle", "$.connections[0]"),
            ("unreachable-node", "$.nodes[0]"),
            ("unreachable-node", "$.nodes[1]"),
        });
    }

    [Fact]
    public void When_a_definition_is_larger_than_the_limits_then_only_the_size_is_reported()
    {
        var limits = new DefinitionLimits { MaxNodes = 2, MaxConnections = 1 };
        var definition = Chain() with { Id = "" };

        var problems = DefinitionValidator.Validate(definition, TestNodeTypeCatalog.Instance, limits);

        problems.Select(p => (p.Code, p.Path)).Should().BeEquivalentTo(new[]
        {
            ("too-many-nodes", "$.nodes"),
            ("too-many-connections", "$.connections"),
        });
    }

    [Fact]
    public void When_the_serialized_definition_exceeds_the_byte_limit_then_it_is_refused()
    {
        var problems = DefinitionValidator.Validate(Chain(), TestNodeTypeCatalog.Instance, new DefinitionLimits { MaxBytes = 100 });

        problems.Should().ContainSingle().Which.Should().Match<DefinitionProblem>(p => p.Code == "definition-too-large" && p.Path == "$");
    }

    [Fact]
    public void When_problems_exceed_the_limit_then_the_list_ends_with_a_marker()
    {
        var nodes = Enumerable.Range(0, 50).Select(i => Node($"n{i}", "unknown")).ToArray();

        var problems = DefinitionValidator.Validate(Definition(nodes), TestNodeTypeCatalog.Instance, new DefinitionLimits { MaxProblems = 10 });

        problems.Should().HaveCount(11);
        problems[^1].Code.Should().Be("too-many-problems");
    }

    [Fact]
    public void When_a_node_type_check_throws_then_it_becomes_a_problem()
    {
        var catalog = new SingleTypeCatalog(new() { Type = "fragile", ValidateParameters = _ => throw new InvalidOperationException("boom") });

        var problems = DefinitionValidator.Validate(Definition([Node("a", "fragile")]), catalog);

        problems.Should().ContainSingle().Which.Should().Match<DefinitionProblem>(p =>
            p.Code == "invalid-parameter" && p.Path == "$.nodes[0].parameters" && p.Message.Contains("boom"));
    }

    [Fact]
    public void When_a_definition_built_in_code_holds_nulls_then_they_are_problems_not_exceptions()
    {
        var definition = new WorkflowDefinition
        {
            Id = null!,
            Nodes = [null!, Node("a") with { Type = null!, Parameters = null! }],
            Connections = [null!, new ConnectionDefinition { From = "a", To = null!, Output = null! }],
            Settings = null!,
        };

        var problems = DefinitionValidator.Validate(definition, TestNodeTypeCatalog.Instance);

        problems.Select(p => (p.Code, p.Path)).Should().BeEquivalentTo(new[]
        {
            ("missing-id", "$.id"),
            ("missing-node", "$.nodes[0]"),
            ("missing-node-type", "$.nodes[1].type"),
            ("missing-connection", "$.connections[0]"),
            ("dangling-connection", "$.connections[1].to"),
        });
    }

    [Fact]
    public void Should_accept_branches_joins_fan_out_and_the_error_port()
    {
        var definition = Definition(
            [
                If("check"),
                Node("charge", "http", """{"url":"https://pay/{{ $item.id }}"}""") with
                {
                    FanOut = new FanOutDefinition { Items = "{{ $execution.input.lines }}" },
                    OnError = ErrorStrategy.ContinueErrorOutput,
                    Retry = new RetryPolicy { MaxAttempts = 100, Jitter = 1, BackoffMultiplier = 1 },
                    Timeout = TimeSpan.FromSeconds(30),
                    Pool = "http-2",
                },
                Node("skip"),
                Node("alert", "set", """{"values":{"text":"{{ $node.charge.output.message }} {{ $input.x }}"}}"""),
                Node("done") with { Join = new JoinPolicy { Mode = JoinMode.NOfM, Count = 2 } },
            ],
            Connect("check", "charge", "true"), Connect("check", "skip", "false"),
            Connect("charge", "alert", "error"), Connect("charge", "done"), Connect("skip", "done"), Connect("alert", "done"));

        DefinitionValidator.Validate(definition, TestNodeTypeCatalog.Instance).Should().BeEmpty();
    }

    [Fact]
    public void Should_accept_a_long_chain_without_exhausting_the_stack()
    {
        var nodes = Enumerable.Range(0, 1000).Select(i => Node($"n{i}")).ToArray();
        var connections = Enumerable.Range(1, 999).Select(i => Connect($"n{i - 1}", $"n{i}")).ToArray();

        DefinitionValidator.Validate(Definition(nodes, connections), TestNodeTypeCatalog.Instance).Should().BeEmpty();
    }

    private static NodeDefinition If(string id) =>
        Node(id, "if", """{"conditions":[{"left":"{{ $input.total }}","operator":"gt","right":0}]}""");

    private static NodeDefinition Switch(string id) =>
        Node(id, "switch", """{"value":"{{ $input.tier }}","cases":["gold","silver"]}""");

    /// <summary>Node 2 ("join") gets its incoming connections from "left" and, with two, from "right".</summary>
    private static WorkflowDefinition Join(JoinPolicy join, int incoming) =>
        Definition([Node("left"), Node("right"), Node("join") with { Join = join }],
            incoming == 2
                ? [Connect("left", "join"), Connect("right", "join")]
                : [Connect("right", "left"), Connect("left", "join")]);
}
