using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Workflow.Messaging.Console.Tests.Browser;

/// <summary>
/// The real coordinator host (its Program) on Kestrel on a free loopback port, so a real browser
/// can reach it: the embedded fleet's in-memory transport, executions and definitions in a
/// PostgreSQL database of its own (the console's list pages in SQL there), an API key required,
/// and Seq and management UI addresses so the links show.
/// </summary>
public sealed class ConsoleHost : WebApplicationFactory<Coordinator.CoordinatorOptions>
{
    public const string Key = "console-test-key";

    private static readonly string PostgresServer = LocalServices.Postgres;
    private readonly string _database = $"wf_console_{Guid.NewGuid():N}"[..26];

    public ConsoleHost()
    {
        Execute($"CREATE DATABASE \"{_database}\"");
        UseKestrel(0);
        StartServer();
        Address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal))
            .First();
        Api = new HttpClient { BaseAddress = new Uri(Address) };
        Api.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    public string Address { get; }

    /// <summary>The HTTP API with the key in its header: how tests arrange what the browser then sees.</summary>
    public HttpClient Api { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Api:Keys:0"] = Key,
            ["Persistence:Provider"] = "Postgres",
            ["Persistence:ConnectionString"] = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _database }.ConnectionString,
            ["Persistence:CreateSchema"] = "true",
            ["Console:SeqUrl"] = "http://seq.local:5341",
            ["Console:RabbitMqManagementUrl"] = "http://127.0.0.1:15672",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (name, value) in settings)
            builder.UseSetting(name, value);
    }

    /// <summary>A sample definition as a JSON tree, to adjust before starting it.</summary>
    public static JsonObject Sample(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", file)))!.AsObject();

    /// <summary>Starts an execution of an inline definition; returns its id once the execution can be read (its page would be a 404 before).</summary>
    public async Task<Guid> StartAsync(JsonObject definition, object input)
    {
        definition.Remove("$schema");
        var response = await Api.PostAsJsonAsync("/api/executions", new { definition, input });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The start was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("executionId").GetGuid();
        await WaitForStatusAsync(id, null);
        return id;
    }

    /// <summary>Reads the execution until it has <paramref name="status"/> (any, when null); for arranging, before a page opens.</summary>
    public async Task WaitForStatusAsync(Guid id, string? status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            // 404 until the saga has taken the start command.
            using var response = await Api.GetAsync($"/api/executions/{id}?outputs=false");
            string? current = null;
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                using var body = JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
                current = body.RootElement.GetProperty("status").GetString();
            }
            if (current is not null && (status is null || current == status))
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Execution {id} is {current}, not {status}, after 30 s.");
            await Task.Delay(100);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(PostgresServer);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
