using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// For a host that listens on loopback without an API key (<c>wf serve</c>, <c>wf run --ui</c>),
/// where any web page the user opens could otherwise drive it: the <c>Host</c> must name loopback
/// (a DNS-rebinding page sends its own name), an <c>Origin</c>, when sent, must be this loopback
/// host, and API writes must be <c>application/json</c>, which a page cannot send cross-origin
/// without a preflight this host never answers.
/// </summary>
internal static class LoopbackGuard
{
    public static IApplicationBuilder UseLoopbackGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.LoopbackOnly)
            {
                await next(context);
                return;
            }
            var request = context.Request;
            if (!IsLoopbackName(request.Host.Host))
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "Host not served",
                    $"This server answers only to a loopback host name (localhost, 127.0.0.1, [::1]), not '{request.Host}'.");
                return;
            }
            var origin = request.Headers.Origin.ToString();
            if (origin.Length > 0 && !IsSameLoopbackOrigin(origin, request))
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "Cross-origin request refused",
                    $"Requests from '{origin}' are refused: only pages of this server ({request.Scheme}://{request.Host}) may call it.");
                return;
            }
            if (IsWrite(request.Method) && IsApi(request.Path) && !IsJson(request.ContentType))
            {
                await Refuse(context, StatusCodes.Status415UnsupportedMediaType, "JSON required",
                    $"API writes must be sent as Content-Type: application/json{(string.IsNullOrEmpty(request.ContentType) ? " (none was given)" : $", not '{request.ContentType}'")}.");
                return;
            }
            await next(context);
        });

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    private static bool IsSameLoopbackOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme == request.Scheme
        && IsLoopbackName(uri.Host)
        && uri.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80));

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/ui/api", StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));

    private static Task Refuse(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
