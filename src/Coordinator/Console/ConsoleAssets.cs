using System.Reflection;

namespace Workflow.Messaging.Coordinator.Console;

/// <summary>
/// The stylesheet and the script, embedded in this assembly: the console works offline and from any
/// host that references the coordinator (<c>wf serve</c> too), with no wwwroot to deploy or CDN to reach.
/// </summary>
internal static class ConsoleAssets
{
    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Assets = Load();

    public static IResult Get(string name, HttpContext context)
    {
        if (!Assets.TryGetValue(name, out var asset))
            return TypedResults.NotFound();
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Workflow.Messaging.Coordinator.Console.Assets.";
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var name = resource[prefix.Length..];
            assets[name] = (buffer.ToArray(), Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            });
        }
        return assets;
    }
}
