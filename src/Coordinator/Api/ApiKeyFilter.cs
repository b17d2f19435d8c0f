using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>Refuses <c>/api</c> calls without a configured key, with 401 Problem Details.</summary>
internal sealed class ApiKeyFilter(IOptionsMonitor<ApiOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = options.CurrentValue;
        if (!settings.RequireApiKey)
            return next(context);
        var presented = context.HttpContext.Request.Headers[ApiOptions.KeyHeader].ToString();
        if (presented.Length > 0 && settings.Keys.Any(key => Matches(key, presented)))
            return next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = ApiOptions.KeyHeader;
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required",
            detail: $"Send a configured key in the {ApiOptions.KeyHeader} header."));
    }

    // Constant time, so response timing does not reveal how much of a key was right.
    private static bool Matches(string key, string presented) =>
        key.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(presented));
}
