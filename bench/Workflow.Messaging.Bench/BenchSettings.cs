using System.Globalization;

namespace Workflow.Messaging.Bench;

/// <summary>Command line of the bench; see <see cref="Usage"/>.</summary>
internal sealed record BenchSettings
{
    public const string Usage = """
        usage: bench --workflow <chain10|fanout8|fanout100|single|retry-heavy|wait|mixed> --executions N --concurrency C
                     [--workers W] [--coordinators N] [--embedded] [--worker-nodes] [--node-delay 20ms] [--baseline] [--queue-wait] [--sweep-workers 1,2,4]
                     [--warmup N] [--timeout 10m] [--set Section:Key=value]... [--max-concurrent-executions N]
                     [--label text] [--results dir]
                     [--fleet-root path-of-another-checkout] [--fleet-name workflow-bench]
               bench --chaos [--executions N] [--concurrency C] [--workers W] [--duration 3m] [--small]
                     [--faults workers,coordinator,rabbitmq,postgres] [--results dir]
        """;

    public string Workflow { get; init; } = "chain10";
    public int Executions { get; init; } = 1000;
    public int Concurrency { get; init; } = 100;
    public int Workers { get; init; } = 2;

    /// <summary>Coordinator processes sharing the saga queue (the real fleet only).</summary>
    public int Coordinators { get; init; } = 1;
    public bool Embedded { get; init; }
    public bool WorkerNodes { get; init; }

    /// <summary>How long each worker node (<c>delay</c>) lasts; zero: a bare round trip.</summary>
    public TimeSpan NodeDelay { get; init; }
    public bool Baseline { get; init; }

    /// <summary>
    /// Measure queue wait against a fleet: the bench then consumes every node result too, one more delivery per
    /// node on the same machine, so throughput runs leave it off.
    /// </summary>
    public bool QueueWait { get; init; }
    public bool Chaos { get; init; }
    public IReadOnlyList<int> SweepWorkers { get; init; } = [];
    public int Warmup { get; init; } = 50;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan ChaosDuration { get; init; } = TimeSpan.FromMinutes(3);
    public IReadOnlySet<string> Faults { get; init; } = AllFaults;
    public bool SmallChaos { get; init; }
    public static readonly IReadOnlySet<string> AllFaults = new HashSet<string>(["workers", "coordinator", "rabbitmq", "postgres", "connections"], StringComparer.Ordinal);
    /// <summary>
    /// Adds <c>settings.maxConcurrentExecutions</c> to the workload's definition: with a limit above
    /// <see cref="Concurrency"/> it is never reached, and the run shows what merely having one costs.
    /// </summary>
    public int? MaxConcurrentExecutions { get; init; }

    public Dictionary<string, string?> Settings { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Label { get; init; }
    public string? FleetRoot { get; init; }

    /// <summary>
    /// The real fleet's RabbitMQ virtual host; its PostgreSQL database is the same name with
    /// underscores. Both are recreated empty per run, so two benches on one machine need two names.
    /// </summary>
    public string FleetName { get; init; } = "workflow-bench";
    public string ResultsDirectory { get; init; } = "bench/results";

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--workflow" => settings with { Workflow = Next() },
                "--executions" => settings with { Executions = Int(Next()) },
                "--concurrency" => settings with { Concurrency = Int(Next()) },
                "--workers" => settings with { Workers = Int(Next()) },
                "--coordinators" => settings with { Coordinators = Int(Next()) },
                "--embedded" => settings with { Embedded = true },
                "--worker-nodes" => settings with { WorkerNodes = true },
                "--node-delay" => settings with { NodeDelay = Duration(Next()) },
                "--baseline" => settings with { Baseline = true },
                "--queue-wait" => settings with { QueueWait = true },
                "--chaos" => settings with { Chaos = true },
                "--sweep-workers" => settings with { SweepWorkers = Next().Split(',').Select(Int).ToList() },
                "--warmup" => settings with { Warmup = Int(Next()) },
                "--timeout" => settings with { Timeout = Duration(Next()) },
                "--duration" => settings with { ChaosDuration = Duration(Next()) },
                "--faults" => settings with { Faults = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) },
                "--small" => settings with { SmallChaos = true },
                "--set" => settings.WithSetting(Next()),
                "--max-concurrent-executions" => settings with { MaxConcurrentExecutions = Int(Next()) },
                "--label" => settings with { Label = Next() },
                "--fleet-root" => settings with { FleetRoot = Next() },
                "--fleet-name" => settings with { FleetName = FleetNameOf(Next()) },
                "--results" => settings with { ResultsDirectory = Next() },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }
        if (settings.Executions <= 0 || settings.Concurrency <= 0 || settings.Workers <= 0 || settings.Coordinators <= 0)
            throw new ArgumentException("--executions, --concurrency, --workers and --coordinators must be positive.");
        if (settings.MaxConcurrentExecutions is < 1 or > 10_000)
            throw new ArgumentException("--max-concurrent-executions takes 1 to 10000, the range a definition accepts.");
        if (settings.Coordinators > 1 && settings.Embedded)
            throw new ArgumentException("--coordinators applies to the real fleet, not to --embedded.");
        return settings;
    }

    private BenchSettings WithSetting(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            throw new ArgumentException($"--set takes Section:Key=value, got '{assignment}'.");
        Settings[assignment[..equals]] = assignment[(equals + 1)..];
        return this;
    }

    // It becomes a virtual host and a database name, so letters, digits and dashes only.
    private static string FleetNameOf(string text) =>
        text.Length is > 0 and <= 50 && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? text
            : throw new ArgumentException($"--fleet-name takes 1-50 lower-case letters, digits and dashes, got '{text}'.");

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static TimeSpan Duration(string text) =>
        Contracts.Duration.TryParse(text, out var value) ? value : throw new ArgumentException($"'{text}' is not a duration such as 90s or 10m.");
}
