namespace Workflow.Messaging.Engine.Templates;

/// <summary>Splits <c>$a.b["c d"][0]</c> into segments: <c>$a</c>, <c>b</c>, <c>c d</c>, <c>0</c>.</summary>
internal static class TemplatePath
{
    public static IReadOnlyList<string> Parse(string expression)
    {
        var text = expression.Trim();
        if (text.Length == 0 || text[0] != '$')
            throw new TemplateException($"'{expression}': a template path starts with $, e.g. {{{{ $input.name }}}}.");

        var segments = new List<string>();
        var i = 0;
        segments.Add(ReadName(text, ref i, expression));
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '.':
                    i++;
                    segments.Add(ReadName(text, ref i, expression));
                    break;
                case '[':
                    segments.Add(ReadBracket(text, ref i, expression));
                    break;
                default:
                    throw new TemplateException($"'{expression}': unexpected '{text[i]}' at position {i}.");
            }
        }
        return segments;
    }

    private static string ReadName(string text, ref int i, string expression)
    {
        var start = i;
        if (i < text.Length && text[i] == '$')
            i++;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-'))
            i++;
        return i > start ? text[start..i] : throw new TemplateException($"'{expression}': a name is missing at position {start}.");
    }

    private static string ReadBracket(string text, ref int i, string expression)
    {
        var close = text.IndexOf(']', i);
        if (close < 0)
            throw new TemplateException($"'{expression}': '[' at position {i} is not closed.");
        var inner = text[(i + 1)..close].Trim();
        i = close + 1;
        if (inner.Length >= 2 && (inner[0] is '"' or '\'') && inner[^1] == inner[0])
            return inner[1..^1];
        return int.TryParse(inner, out _) ? inner : throw new TemplateException($"'{expression}': '[{inner}]' is neither an index nor a quoted name.");
    }
}
