using YamlDotNet.RepresentationModel;

namespace Workflow.Messaging.Deployment.Tests;

/// <summary>The deployment files as the project builds them (copied beside the tests).</summary>
internal static class DeploymentFiles
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Deployment");

    public static string Text(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    /// <summary>Every document of a YAML file (Kubernetes files hold several).</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Text(relativePath));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    public static IEnumerable<string> KubernetesFiles() =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Directory, "k8s"), "*.yaml").Select(f => Path.Combine("k8s", Path.GetFileName(f)));
}

internal static class YamlNodes
{
    public static YamlNode? Child(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static YamlMappingNode Map(this YamlNode node, string key) =>
        node.Child(key) as YamlMappingNode ?? throw new InvalidOperationException($"'{key}' is missing or not a mapping.");

    public static string? Scalar(this YamlNode node, string key) => (node.Child(key) as YamlScalarNode)?.Value;

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlMappingNode map) =>
        map.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value));
}
