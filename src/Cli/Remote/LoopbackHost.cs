using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Messaging.Coordinator.Api;

namespace Workflow.Messaging.Cli.Remote;

/// <summary>
/// The web host of <c>wf serve</c> and <c>wf run --ui</c>: on 127.0.0.1 only, behind the loopback
/// guard (Host, Origin, JSON writes). Its settings are defaults under everything the user gave
/// (environment, appsettings.json, ...), so <c>Api__*</c> and the other keys set there win.
/// </summary>
internal static class LoopbackHost
{
    public static WebApplicationBuilder CreateBuilder(int port, string? apiKey, IReadOnlyDictionary<string, string?>? defaults = null)
    {
        var builder = WebApplication.CreateBuilder();
        var keysGiven = builder.Configuration.GetSection("Api:Keys").GetChildren().Any(k => !string.IsNullOrEmpty(k.Value));
        var settings = new Dictionary<string, string?>(defaults ?? new Dictionary<string, string?>())
        {
            // No key unless one is given: the guard keeps other origins out instead.
            ["Api:RequireApiKey"] = string.IsNullOrEmpty(apiKey) && !keysGiven ? "false" : "true",
            ["Api:LoopbackOnly"] = "true",
        };
        // First source, so that every source the builder already read (the user's) overrides it.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = settings });
        if (!string.IsNullOrEmpty(apiKey))
            // Added to the keys the user configured, never in place of one.
            builder.Services.PostConfigure<ApiOptions>(o =>
            {
                if (!o.Keys.Contains(apiKey))
                    o.Keys.Add(apiKey);
            });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        return builder;
    }
}
