using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes.Code;
using static Workflow.Messaging.Engine.Tests.Nodes.NodeTestContext;

namespace Workflow.Messaging.Engine.Tests.Nodes;

public class CodeNodeTests
{
    private readonly CodeNode _node = Node(new CodeNodeOptions
    {
        Timeout = TimeSpan.FromSeconds(1),
        MaxStatements = 100_000,
        MaxRecursionDepth = 100,
    });

    private static CodeNode Node(CodeNodeOptions options) => new(Options.Create(options), new ScriptThreads(Options.Create(options)));

    // Jint's first run in a process spends seconds in the JIT on a busy machine (hosts run
    // ScriptWarmUp for the same reason); the limits below are about the scripts, not that.
    private static readonly Lazy<Task> WarmUp = new(() => Node(new CodeNodeOptions { Timeout = TimeSpan.FromMinutes(1) })
        .ExecuteAsync(Create("code", """{"script":"return [1].map(function (x) { return /a/.test('a') ? { x: x } : null; });"}"""), default));

    public CodeNodeTests() => WarmUp.Value.GetAwaiter().GetResult();

    [Fact]
    public async Task Script_sees_input_and_params_and_returns_the_output()
    {
        var context = Create("code", """{"script":"return { total: input.a + params.bonus, name: 'x' };","bonus":10}""", """{"a":5}""");

        var result = await _node.ExecuteAsync(context, default);

        result.Output.GetProperty("total").GetInt32().Should().Be(15);
        result.Output.GetProperty("name").GetString().Should().Be("x");
    }

    [Fact]
    public async Task Script_without_return_outputs_null()
    {
        var result = await _node.ExecuteAsync(Create("code", """{"script":"var x = 1;"}"""), default);

        result.Output.ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Infinite_loop_hits_the_statement_limit()
    {
        var error = await FailureOf("""{"script":"while (true) { }"}""");

        error.Code.Should().Be("code.statement-limit");
    }

    [Fact]
    public async Task Slow_loop_under_the_statement_limit_hits_the_timeout()
    {
        var node = Node(new CodeNodeOptions { MaxStatements = int.MaxValue });

        var act = () => node.ExecuteAsync(Create("code", """{"script":"while (true) { }","timeout":"200ms"}"""), default);

        var error = (await act.Should().ThrowAsync<NodeExecutionException>().WaitAsync(TimeSpan.FromSeconds(10))).Which;
        error.Code.Should().Be("code.timeout");
        error.Kind.Should().Be(NodeErrorKind.Fatal);
    }

    [Fact]
    public async Task Unbounded_recursion_hits_the_recursion_limit()
    {
        var error = await FailureOf("""{"script":"function f(n) { return f(n + 1); } return f(0);"}""");

        error.Code.Should().Be("code.recursion-limit");
    }

    [Fact]
    public async Task Unbounded_recursion_under_the_default_limits_fails_instead_of_overflowing_the_stack()
    {
        var node = Node(new CodeNodeOptions());

        var act = () => node.ExecuteAsync(Create("code", """{"script":"function f(n) { return f(n + 1) + 1; } return f(0);"}"""), default);

        (await act.Should().ThrowAsync<NodeExecutionException>().WaitAsync(TimeSpan.FromSeconds(10))).Which.Code.Should().Be("code.recursion-limit");
    }

    [Fact]
    public async Task Recursion_within_the_limit_runs()
    {
        var result = await _node.ExecuteAsync(Create("code", """{"script":"function f(n) { return n == 0 ? 0 : 1 + f(n - 1); } return f(50);"}"""), default);

        result.Output.GetInt32().Should().Be(50);
    }

    [Fact]
    public async Task A_thrown_error_is_fatal_with_its_message()
    {
        var error = await FailureOf("""{"script":"throw new Error('bad input');"}""");

        error.Code.Should().Be("code.error");
        error.Message.Should().Contain("bad input");
    }

    [Fact]
    public async Task A_syntax_error_is_fatal()
    {
        var error = await FailureOf("""{"script":"return {;"}""");

        error.Code.Should().Be("code.syntax");
    }

    [Fact]
    public async Task Script_has_no_access_to_dotnet()
    {
        var error = await FailureOf("""{"script":"return System.IO.File.ReadAllText('/etc/hostname');"}""");

        error.Code.Should().Be("code.error");
    }

    private async Task<NodeExecutionException> FailureOf(string parameters)
    {
        var act = () => _node.ExecuteAsync(Create("code", parameters), default);
        var error = (await act.Should().ThrowAsync<NodeExecutionException>().WaitAsync(TimeSpan.FromSeconds(10))).Which;
        error.Kind.Should().Be(NodeErrorKind.Fatal);
        return error;
    }
}
