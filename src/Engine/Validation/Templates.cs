using System.Text.RegularExpressions;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>Just enough template reading for validation: where <c>{{ }}</c> blocks are and which nodes they name.</summary>
internal static partial class Templates
{
    public static bool ContainsTemplate(string text) => Blocks(text).Any(block => !string.IsNullOrWhiteSpace(block));

    /// <summary>Node ids referenced as <c>$node.id</c> or <c>$node["id"]</c> inside template blocks.</summary>
    public static IEnumerable<string> NodeReferences(string text) =>
        from block in Blocks(text)
        from Match reference in NodeReference().Matches(block)
        select reference.Groups["dot"].Success ? reference.Groups["dot"].Value : reference.Groups["index"].Value;

    /// <summary>
    /// A plain scan rather than a lazy regex: text full of unclosed "{{" would make a regex
    /// retry from every one of them, quadratic in a document of a megabyte.
    /// </summary>
    private static IEnumerable<string> Blocks(string text)
    {
        var from = 0;
        while (from < text.Length)
        {
            var open = text.IndexOf("{{", from, StringComparison.Ordinal);
            if (open < 0)
                yield break;
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
                yield break;
            yield return text[(open + 2)..close];
            from = close + 2;
        }
    }

    // Bounded like node ids, so an unterminated $node[" costs at most a hundred steps.
    [GeneratedRegex("""\$node(?:\.(?<dot>[A-Za-z0-9_-]{1,100})|\[\s*['"](?<index>[^'"]{0,100})['"]\s*\])""")]
    private static partial Regex NodeReference();
}
