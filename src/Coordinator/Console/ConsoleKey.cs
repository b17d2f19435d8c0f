using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Coordinator.Api;

namespace Workflow.Messaging.Coordinator.Console;

/// <summary>
/// The console's API key: asked for once, then kept in an HttpOnly cookie scoped to <c>/ui</c>, so
/// no script can read it and the browser sends it with pages, the event stream and actions alike
/// (an EventSource cannot send headers). SameSite=Strict keeps other sites' forms from using it.
/// Where the API asks for no key (<c>wf serve</c>), neither does the console.
/// </summary>
internal static class ConsoleKey
{
    public const string Cookie = "wf-console-key";

    public static bool Accepts(HttpContext context, ApiOptions options) =>
        !options.RequireApiKey || (context.Request.Cookies[Cookie] is { Length: > 0 } presented && IsConfigured(options, presented));

    public static bool IsConfigured(ApiOptions options, string presented) =>
        options.Keys.Any(key => key.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(presented)));

    public static void Remember(HttpContext context, string key) =>
        context.Response.Cookies.Append(Cookie, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/ui",
            MaxAge = TimeSpan.FromDays(7),
        });
}

/// <summary>Lets a console request through with the key cookie; sends a browser's page request to the key page, anything else a 401.</summary>
internal sealed class ConsoleKeyFilter(IOptionsMonitor<ApiOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (ConsoleKey.Accepts(http, options.CurrentValue))
            return next(context);
        var wantsPage = HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
        return ValueTask.FromResult<object?>(wantsPage
            ? TypedResults.Redirect($"/ui/key?returnUrl={Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)}")
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
                detail: "Open /ui/key in the browser and give a configured API key."));
    }
}
