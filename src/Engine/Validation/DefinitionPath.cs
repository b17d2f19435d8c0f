using System.Text.RegularExpressions;

namespace Workflow.Messaging.Engine.Validation;

/// <summary>Builds the JSON paths of problems: <c>$.nodes[2].parameters['content-type']</c>.</summary>
internal static partial class DefinitionPath
{
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        PlainName().IsMatch(name)
            ? $"{parent}.{name}"
            : $"{parent}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    public static string Node(int index) => $"$.nodes[{index}]";

    public static string Node(int index, string member) => $"$.nodes[{index}].{member}";

    public static string Connection(int index) => $"$.connections[{index}]";

    public static string Connection(int index, string member) => $"$.connections[{index}].{member}";

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex PlainName();
}
