using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// Refuses oversize bodies with 413 Problem Details however they are sent: by the declared length
/// before anything reads them, and, for bodies sent without one (chunked), as soon as the reading
/// passes the limit.
/// </summary>
internal static class RequestSizeLimit
{
    public static IApplicationBuilder UseApiRequestSizeLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await TooLarge(context, $"The body has {context.Request.ContentLength} bytes; at most {limit} are accepted.");
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
            // Not every server enforces the feature (the test server does not), and a server's own
            // refusal surfaced as a 500 from the exception handler: the count is ours either way.
            if (context.Request.ContentLength is null)
                context.Request.Body = new LimitedRequestBody(context.Request.Body, limit);
            try
            {
                await next(context);
                // Model binding answers a body it could not finish reading with a bare 413.
                if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
                    await TooLarge(context, $"The body is larger than the {limit} bytes accepted.");
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
            {
                await TooLarge(context, $"The body is larger than the {limit} bytes accepted.");
            }
        });

    private static Task TooLarge(HttpContext context, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: detail).ExecuteAsync(context);
}
