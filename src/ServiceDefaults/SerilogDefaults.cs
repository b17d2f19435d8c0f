using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Templates;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// Logs through Serilog: levels, enrichers and sinks from the <c>Serilog</c> section
/// (appsettings.json ships production levels), the console when that section names no sink,
/// and Seq when <c>Seq:ServerUrl</c> is set. Log scopes (<see cref="LogScope"/>) become
/// properties of each event, and Serilog records the current trace and span ids on it.
/// </summary>
public static class SerilogDefaults
{
    /// <summary>
    /// One line per event for people reading a terminal: UTC time, level, source, the message, then
    /// the properties the message does not show (the scope's ids), or nothing when there are none.
    /// </summary>
    public const string ConsoleTemplate =
        "{UtcDateTime(@t):HH:mm:ss.fff} {@l:u3} {SourceContext}: {@m}{#if rest(true) <> {}} {rest(true)}{#end}\n{@x}";

    public static IHostApplicationBuilder AddSerilogLogs(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var seq = configuration.GetSection(SeqOptions.Section).Get<SeqOptions>() ?? new SeqOptions();
        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var service = telemetry.ServiceName ?? builder.Environment.ApplicationName;
        builder.Services.AddOptions<SeqOptions>().BindConfiguration(SeqOptions.Section);

        // preserveStaticLogger: each host owns its logger (tests run several hosts in one process),
        // and disposing the host flushes it, so the last batch reaches Seq.
        builder.Services.AddSerilog((_, logs) =>
        {
            // The sink assemblies are named here, so the section needs no "Using" and a trimmed or
            // test host finds them without a dependency context.
            logs.ReadFrom.Configuration(configuration, new ConfigurationReaderOptions(
                    typeof(ConsoleLoggerConfigurationExtensions).Assembly,
                    typeof(SeqLoggerConfigurationExtensions).Assembly,
                    typeof(CompactJsonFormatter).Assembly) { FormatProvider = CultureInfo.InvariantCulture })
                .Enrich.FromLogContext();
            if (!configuration.GetSection("Serilog:WriteTo").Exists())
                logs.WriteTo.Console(new ExpressionTemplate(ConsoleTemplate, CultureInfo.InvariantCulture));
            // Seq receives every host's events, so they say which service wrote them; a sub-logger
            // keeps that property off the console lines. Levels are the parent's: it lets all through.
            if (seq.ServerUrl is { } url)
                logs.WriteTo.Logger(toSeq => toSeq.MinimumLevel.Verbose()
                    .Enrich.WithProperty("Service", service)
                    .WriteTo.Seq(url.ToString(), apiKey: NullIfEmpty(seq.ApiKey), period: telemetry.BatchExportDelay,
                        formatProvider: CultureInfo.InvariantCulture));
        }, preserveStaticLogger: true);
        return builder;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
