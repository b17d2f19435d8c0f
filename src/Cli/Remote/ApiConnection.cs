using System.CommandLine;

namespace Workflow.Messaging.Cli.Remote;

/// <summary><c>--api</c> and <c>--api-key</c>: on the root, recursive, with the environment as default; new instances per command tree.</summary>
internal static class ApiConnection
{
    public const string DefaultApi = "http://localhost:8080";

    public const string ApiName = "--api";
    public const string ApiKeyName = "--api-key";

    public static Option<Uri> Api() => new(ApiName)
    {
        Description = $"Coordinator base address (env WF_API, default {DefaultApi})",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("WF_API") is { Length: > 0 } api ? api : DefaultApi),
        CustomParser = result => Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri)
            ? uri
            : ParseError(result, $"'{result.Tokens.Single().Value}' is not an absolute URL."),
    };

    public static Option<string?> ApiKey() => new(ApiKeyName)
    {
        Description = "API key sent as X-Api-Key (env WF_API_KEY)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("WF_API_KEY"),
    };

    public static Uri Address(ParseResult parse) => parse.GetValue<Uri>(ApiName)!;

    public static string? Key(ParseResult parse) => parse.GetValue<string?>(ApiKeyName);

    public static ApiClient Client(ParseResult parse) => ApiClient.Create(Address(parse), Key(parse));

    private static Uri? ParseError(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }
}
