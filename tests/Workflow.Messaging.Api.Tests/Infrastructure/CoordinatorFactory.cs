using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Workflow.Messaging.Api.Tests.Infrastructure;

/// <summary>
/// The real coordinator host (its Program, found through any type of its assembly) with the
/// embedded fleet's in-memory transport and its saga, outputs, definitions and bus outbox in a
/// PostgreSQL database of its own. Settings go in as host settings, so Program sees them while
/// it builds, as it would see environment variables.
/// </summary>
public class CoordinatorFactory : WebApplicationFactory<Coordinator.CoordinatorOptions>
{
    public const string Key = "test-key-1";
    public const string SecondKey = "test-key-2";

    private readonly Dictionary<string, string?> _settings;
    private readonly PostgresTestDatabase? _database;

    public CoordinatorFactory() : this(new Dictionary<string, string?>()) { }

    protected CoordinatorFactory(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Api:Keys:0"] = Key,
            ["Api:Keys:1"] = SecondKey,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Workflow.Messaging"] = "Warning",
        };
        foreach (var (name, value) in settings)
            _settings[name] = value;
        if (!_settings.ContainsKey("Persistence:Provider"))
        {
            _database = new PostgresTestDatabase();
            _settings["Persistence:Provider"] = "Postgres";
            _settings["Persistence:ConnectionString"] = _database.ConnectionString;
            _settings["Persistence:CreateSchema"] = "true";
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _database?.Drop();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (name, value) in _settings)
            builder.UseSetting(name, value);
    }

    /// <summary>A client that sends the API key.</summary>
    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }
}

/// <summary>The embedded mode's setting, no API key asked for; and the in-memory saga repository with its queries.</summary>
public sealed class OpenCoordinatorFactory() : CoordinatorFactory(new Dictionary<string, string?>
{
    ["Api:RequireApiKey"] = "false",
    ["Persistence:Provider"] = "Memory",
});
