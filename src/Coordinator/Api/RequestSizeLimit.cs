using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// Refuses oversize bodies with 413 Problem Details before anything reads them: by the declared
/// length at once, and by the server's body limit for bodies sent without one.
/// </summary>
internal static class RequestSizeLimit
{
    public static IApplicationBuilder UseApiRequestSizeLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: $"The body has {context.Request.ContentLength} bytes; at most {limit} are accepted.").ExecuteAsync(context);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
            await next(context);
        });
}
