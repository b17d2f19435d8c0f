using System.Text.Json.Nodes;

namespace Workflow.Messaging.Engine.Tests.Validation;

/// <summary>Deterministic random damage to a definition, at the JSON tree level and at the text level.</summary>
internal sealed class DefinitionMutator(string original, int seed)
{
    private static readonly string[] Names =
        ["id", "Id", "type", "from", "to", "output", "nodes", "connections", "join", "count", "mode", "retry", "timeout",
         "fanOut", "items", "pool", "onError", "parameters", "settings", "$schema", "maxAttempts", "jitter", "extra"];

    private static readonly string[] Texts =
        ["", " ", "x", "a b", "main", "error", "true", "default", "validate", "route", "charge-lines", "done", "30s", "-5s",
         "1e300d", "0ms", "nOfM", "any", "continueErrorOutput", "{{ $node.route.output }}", "{{ $node.ghost.x }}", "{{ }}",
         "{{ $item }}", "HTTP", "\uD800", new string('z', 300)];

    private const string Characters = "{}[]\",:\\0\uD800x-";

    private readonly Random _random = new(seed);

    public string Next()
    {
        var json = original;
        var rounds = _random.Next(1, 4);
        for (var round = 0; round < rounds; round++)
            json = _random.Next(10) < 8 ? MutateTree(json) : MutateText(json);
        return json;
    }

    private string MutateTree(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new() { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            // Already broken beyond a tree: keep damaging the text.
            return MutateText(json);
        }
        if (root is null)
            return json;
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        if (slots.Count == 0)
            return json;
        var (parent, key) = slots[_random.Next(slots.Count)];
        switch (_random.Next(5))
        {
            case 0:
                Remove(parent, key);
                break;
            case 1:
                Set(parent, key, RandomValue());
                break;
            case 2 when parent is JsonObject obj && key is string name:
                var value = obj[name];
                obj.Remove(name);
                obj[Names[_random.Next(Names.Length)]] = value;
                break;
            case 3 when parent is JsonArray array && key is int index:
                array.Insert(index, array[index]?.DeepClone());
                break;
            default:
                var (otherParent, otherKey) = slots[_random.Next(slots.Count)];
                var other = Get(otherParent, otherKey)?.DeepClone();
                if (!IsInside(otherParent, parent, key))
                    Set(parent, key, other);
                break;
        }
        try
        {
            return root.ToJsonString();
        }
        catch (ArgumentException)
        {
            // The writer refuses a lone surrogate; such text still reaches the reader through MutateText.
            return json;
        }
    }

    private string MutateText(string json)
    {
        if (json.Length == 0)
            return "{";
        var at = _random.Next(json.Length);
        return _random.Next(3) switch
        {
            0 => json[..at],
            1 => json.Insert(at, Characters[_random.Next(Characters.Length)].ToString()),
            _ => json.Remove(at, Math.Min(json.Length - at, _random.Next(1, 20))),
        };
    }

    private JsonNode? RandomValue() => _random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next(2) == 0),
        2 => JsonValue.Create(_random.Next(-3, 5)),
        3 => JsonValue.Create(1.5),
        4 => JsonValue.Create(1e300),
        5 => JsonValue.Create((long)int.MaxValue + 1),
        6 => new JsonObject(),
        7 => new JsonArray(),
        8 => new JsonObject { ["id"] = "n" + _random.Next(5), ["type"] = "noop" },
        9 => new JsonObject { ["mode"] = "nOfM", ["count"] = _random.Next(-1, 4) },
        _ => JsonValue.Create(Texts[_random.Next(Texts.Length)]),
    };

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    slots.Add((obj, name));
                    if (child is not null)
                        Collect(child, slots);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    if (array[i] is { } child)
                        Collect(child, slots);
                }
                break;
        }
    }

    private static JsonNode? Get(JsonNode parent, object key) =>
        key is string name ? parent.AsObject()[name] : parent.AsArray()[(int)key];

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (key is string name)
            parent.AsObject()[name] = value;
        else
            parent.AsArray()[(int)key] = value;
    }

    private static void Remove(JsonNode parent, object key)
    {
        if (key is string name)
            parent.AsObject().Remove(name);
        else
            parent.AsArray().RemoveAt((int)key);
    }

    /// <summary>Copying a value into its own descendant would make the tree endless.</summary>
    private static bool IsInside(JsonNode node, JsonNode parent, object key)
    {
        var target = Get(parent, key);
        for (var at = node; at is not null; at = at.Parent)
        {
            if (ReferenceEquals(at, target))
                return true;
        }
        return false;
    }
}
