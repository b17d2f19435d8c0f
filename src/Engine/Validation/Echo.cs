namespace Workflow.Messaging.Engine.Validation;

/// <summary>Quotes user text in problem messages, cut short so a huge value is not repeated back in full.</summary>
internal static class Echo
{
    private const int MaxLength = 80;

    public static string Of(string? text) =>
        text is null ? "null"
        : text.Length <= MaxLength ? text
        : string.Concat(text.AsSpan(0, MaxLength), "...");
}
