using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Contracts;
using Workflow.Messaging.Engine.Executors;
using Workflow.Messaging.Engine.Nodes;
using Workflow.Messaging.Engine.Nodes.Code;

namespace Workflow.Messaging.Security.Tests.Code;

/// <summary>
/// The code node as the hosts register it (<c>AddBuiltInNodes</c>, configuration bound), run
/// against every probe: each fails the node with a clear fatal error within its timeout, frees its
/// thread, and leaves this process alive with its memory back near where it started.
/// </summary>
public sealed class CodeNodeSandboxTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    // Stopping takes a moment past the deadline (the last built-in checks, the exception unwinding
    // a deep stack); a second and a half covers it on a busy two-core machine.
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(1.5);

    private readonly ServiceProvider _services;
    private readonly INodeExecutor _node;
    private readonly ScriptThreads _threads;

    public CodeNodeSandboxTests()
    {
        _services = Services();
        _node = _services.GetServices<INodeExecutor>().Single(e => e.Descriptor.Type == BuiltInNodeTypes.Code);
        _threads = _services.GetRequiredService<ScriptThreads>();
        WarmUp.Value.GetAwaiter().GetResult();
    }

    public void Dispose() => _services.Dispose();

    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Nodes:Code:Timeout"] = Timeout.ToString(),
            ["Nodes:Code:MaxConcurrentScripts"] = "2",
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddBuiltInNodes().BuildServiceProvider();
    }

    // Jint's first run in a process pays for its JIT (seconds on a busy machine); the timings below
    // are about the probes, not that.
    private static readonly Lazy<Task> WarmUp = new(() =>
    {
        var options = Microsoft.Extensions.Options.Options.Create(new CodeNodeOptions { Timeout = TimeSpan.FromMinutes(1) });
        return new CodeNode(options, new ScriptThreads(options)).ExecuteAsync(Context("return [1].map(function (x) { return /a/.test('a') + x; });"), CancellationToken.None);
    });

    [Theory]
    [MemberData(nameof(CodeNodeProbes.All), MemberType = typeof(CodeNodeProbes))]
    public async Task Probe_fails_the_node_with_a_clear_error_within_its_timeout_and_frees_its_thread(string script, string expectedCode)
    {
        var clock = Stopwatch.StartNew();

        var error = await FailureOf(script, CodeNodeProbes.TimeoutFor(expectedCode));

        error.Code.Should().Be(expectedCode, error.Message);
        error.Kind.Should().Be(NodeErrorKind.Fatal);
        error.Message.Should().NotBeNullOrWhiteSpace();
        clock.Elapsed.Should().BeLessThan((CodeNodeProbes.TimeoutFor(expectedCode) ?? Timeout) + Allowance);
        _threads.Running.Should().Be(0, "the script's thread ends with the script");
    }

    [Fact]
    public async Task Every_probe_again_and_again_leaves_memory_where_the_first_round_left_it()
    {
        // The first round fills what the runtime keeps by design (a regular expression keeps its
        // last input until its next match); a leak shows as growth over the rounds after it.
        await RunEveryProbe();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var round = 0; round < 2; round++)
            await RunEveryProbe();

        var after = GC.GetTotalMemory(forceFullCollection: true);
        (after - before).Should().BeLessThan(16L * 1024 * 1024, $"memory went from {before} to {after} bytes over two rounds");
    }

    private async Task RunEveryProbe()
    {
        foreach (var probe in CodeNodeProbes.All)
            await FailureOf((string)probe[0], CodeNodeProbes.TimeoutFor((string)probe[1]));
    }

    [Fact]
    public async Task A_cancelled_attempt_stops_its_script_and_frees_the_thread()
    {
        // A loop that no limit of its own ends within the test (no allocation, statements unbounded):
        // only the attempt's token can stop it, however fast the machine.
        using var services = Services(("Nodes:Code:MaxStatements", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var node = services.GetServices<INodeExecutor>().Single(e => e.Descriptor.Type == BuiltInNodeTypes.Code);
        var threads = services.GetRequiredService<ScriptThreads>();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var act = () => node.ExecuteAsync(Context("var n = 0; while (true) { n++; } return n;"), cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(Timeout, "the attempt's token stops the script, not only the script's own limit");
        (await threads.WaitUntilIdleAsync(Timeout)).Should().BeTrue("the cancelled script's thread ends at its next statement");
        threads.Running.Should().Be(0);
    }

    [Fact]
    public async Task Scripts_beyond_the_pool_wait_for_a_thread_instead_of_taking_another()
    {
        // Two scripts that only their attempt's token ends (statements unbounded, nothing allocated,
        // the 15 s timeout far away), so the pool stays full for the third however slowly a busy
        // machine runs this test's timers.
        using var services = Services(("Nodes:Code:MaxStatements", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var node = services.GetServices<INodeExecutor>().Single(e => e.Descriptor.Type == BuiltInNodeTypes.Code);
        var threads = services.GetRequiredService<ScriptThreads>();
        const string busy = "var n = 0; while (true) { n++; } return n;";
        using var busyAttempts = new CancellationTokenSource();
        var first = node.ExecuteAsync(Context(busy), busyAttempts.Token);
        var second = node.ExecuteAsync(Context(busy), busyAttempts.Token);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var third = () => node.ExecuteAsync(Context("return 1;"), cancellation.Token);

        await third.Should().ThrowAsync<OperationCanceledException>("both threads of the pool are taken");
        threads.Running.Should().Be(2);
        await busyAttempts.CancelAsync();
        await FluentActions.Awaiting(() => first).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => second).Should().ThrowAsync<OperationCanceledException>();
        (await threads.WaitUntilIdleAsync(Timeout)).Should().BeTrue("a cancelled script's thread ends at its next statement");
        (await node.ExecuteAsync(Context("return 'free again';"), CancellationToken.None)).Output.GetString().Should().Be("free again");
    }

    [Fact]
    public async Task Script_may_not_replace_JSON_stringify_to_shape_its_output()
    {
        var result = await Run("JSON.stringify = function () { return '{\"forged\":true}'; }; return { real: 1 };");

        result.Output.GetRawText().Should().Be("""{"real":1}""");
    }

    [Fact]
    public async Task Script_has_no_access_to_dotnet_types()
    {
        var error = await FailureOf("return System.IO.File.ReadAllText('/etc/hostname');");

        error.Code.Should().Be("code.error");
        error.Message.Should().Contain("System is not defined");
    }

    private async Task<NodeExecutionException> FailureOf(string script, TimeSpan? timeout = null)
    {
        var act = () => Run(script, timeout is { } t ? $"\"timeout\": \"{(int)t.TotalMilliseconds}ms\"" : "");
        return (await act.Should().ThrowAsync<NodeExecutionException>("the probe {0} must fail", script).WaitAsync(TimeSpan.FromSeconds(30))).Which;
    }

    private Task<NodeResult> Run(string script, string extraParameters = "") =>
        _node.ExecuteAsync(Context(script, extraParameters), CancellationToken.None);

    private static NodeExecutionContext Context(string script, string extraParameters = "")
    {
        var parameters = JsonSerializer.Serialize(new { script });
        if (extraParameters.Length > 0)
            parameters = parameters[..^1] + "," + extraParameters + "}";
        return new NodeExecutionContext
        {
            ExecutionId = Guid.NewGuid(),
            WorkflowId = "probe",
            NodeId = "probe",
            NodeType = BuiltInNodeTypes.Code,
            Attempt = 1,
            Parameters = JsonDocument.Parse(parameters).RootElement.Clone(),
            Input = JsonDocument.Parse("{}").RootElement.Clone(),
            IdempotencyKey = "probe-1",
            Services = new ServiceCollection().BuildServiceProvider(),
        };
    }
}
