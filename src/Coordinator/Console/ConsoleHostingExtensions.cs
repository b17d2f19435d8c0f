using Microsoft.Extensions.DependencyInjection.Extensions;
using Workflow.Messaging.Coordinator.Api;

namespace Workflow.Messaging.Coordinator.Console;

public static class ConsoleHostingExtensions
{
    /// <summary>The console's services: its options (section <c>Console</c>), links out, and server rendering of Razor components.</summary>
    public static IHostApplicationBuilder AddCoordinatorConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section);
        builder.Services.TryAddSingleton<ConsoleLinks>();
        builder.Services.AddRazorComponents();
        return builder;
    }

    /// <summary>
    /// <c>/ui</c>: the pages, and the HTTP API again under <c>/ui/api</c> behind the console's key
    /// cookie instead of the header. The handlers are the API's own, so an action from the console
    /// is checked (and refused, 409 with the reason) exactly as it would be from the API.
    /// </summary>
    public static WebApplication MapCoordinatorConsole(this WebApplication app)
    {
        if (!app.Configuration.GetSection(ConsoleOptions.Section).GetValue(nameof(ConsoleOptions.Enabled), true))
            return app;
        app.MapConsolePages();
        var api = app.MapGroup("/ui").AddEndpointFilter<ConsoleKeyFilter>().ExcludeFromDescription();
        api.MapExecutionEndpoints();
        api.MapDefinitionEndpoints();
        // Endpoint names must be unique in the app; the API's own endpoints keep theirs.
        ((IEndpointConventionBuilder)api).Finally(endpoint =>
        {
            foreach (var name in endpoint.Metadata.OfType<IEndpointNameMetadata>().ToList())
                endpoint.Metadata.Remove(name);
            foreach (var name in endpoint.Metadata.OfType<IRouteNameMetadata>().ToList())
                endpoint.Metadata.Remove(name);
        });
        return app;
    }
}
