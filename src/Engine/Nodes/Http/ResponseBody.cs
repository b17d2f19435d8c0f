using System.Text;
using Workflow.Messaging.Engine.Executors;

namespace Workflow.Messaging.Engine.Nodes.Http;

/// <summary>Reads a response body as a stream, never more than <see cref="HttpNodeOptions.MaxResponseBytes"/>.</summary>
internal static class ResponseBody
{
    public static async Task<string> ReadAsync(HttpResponseMessage response, string shown, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
            throw TooLarge(shown, maxBytes, $"it declares {declared} bytes");

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            // A chunked or lying body is stopped as soon as it passes the cap, not after it is all in memory.
            if (buffer.Length + read > maxBytes)
                throw TooLarge(shown, maxBytes, "it sent more");
            buffer.Write(chunk, 0, read);
        }
        return EncodingOf(response).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static NodeExecutionException TooLarge(string shown, long maxBytes, string detail) =>
        NodeExecutionException.Fatal($"The response of {shown} is larger than Nodes:Http:MaxResponseBytes ({maxBytes} bytes): {detail}.", "http.response-too-large");

    private static Encoding EncodingOf(HttpResponseMessage response)
    {
        var charset = response.Content.Headers.ContentType?.CharSet?.Trim('"');
        if (string.IsNullOrEmpty(charset))
            return Encoding.UTF8;
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }
}
