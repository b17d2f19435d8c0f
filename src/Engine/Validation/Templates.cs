using System.Text.RegularExpressions;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>Just enough template reading for validation: where <c>{{ }}</c> blocks are and which nodes they name.</summary>
internal static partial class Templates
{
    public static bool ContainsTemplate(string text) => Block().IsMatch(text);

    /// <summary>Node ids referenced as <c>$node.id</c> or <c>$node["id"]</c> inside template blocks.</summary>
    public static IEnumerable<string> NodeReferences(string text)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
            yield break;
        foreach (Match block in Block().Matches(text))
        {
            foreach (Match reference in NodeReference().Matches(block.Groups[1].Value))
                yield return reference.Groups["dot"].Success ? reference.Groups["dot"].Value : reference.Groups["index"].Value;
        }
    }

    [GeneratedRegex(@"\{\{(\s*\S.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex("""\$node(?:\.(?<dot>[A-Za-z0-9_-]+)|\[\s*['"](?<index>[^'"]*)['"]\s*\])""")]
    private static partial Regex NodeReference();
}
