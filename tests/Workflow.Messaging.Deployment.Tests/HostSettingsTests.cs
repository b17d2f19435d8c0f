using System.Text.Json;

namespace Workflow.Messaging.Deployment.Tests;

/// <summary>The appsettings.json each host ships (and its image carries): production log levels.</summary>
public sealed class HostSettingsTests
{
    [Theory]
    [InlineData("coordinator", new[] { "Microsoft", "Microsoft.EntityFrameworkCore", "MassTransit", "Quartz" })]
    [InlineData("worker", new[] { "Microsoft", "MassTransit" })]
    public void A_host_logs_its_own_events_at_information_and_frameworks_only_from_warning(string host, string[] frameworks)
    {
        var minimumLevel = Settings(host).GetProperty("Serilog").GetProperty("MinimumLevel");
        var overrides = minimumLevel.GetProperty("Override");

        minimumLevel.GetProperty("Default").GetString().Should().Be("Warning", "a library nobody thought of stays quiet");
        overrides.GetProperty("Workflow.Messaging").GetString().Should().Be("Information");
        foreach (var framework in frameworks)
            overrides.GetProperty(framework).GetString().Should().Be("Warning", $"{framework} logs per message or per command below that");
        overrides.GetProperty("Microsoft.Hosting.Lifetime").GetString().Should().Be("Information", "start and stop stay visible");
    }

    private static JsonElement Settings(string host)
    {
        // The configuration JSON reader accepts comments, so the shipped files may carry them.
        using var document = JsonDocument.Parse(DeploymentFiles.Text(Path.Combine(host, "appsettings.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.Clone();
    }
}
