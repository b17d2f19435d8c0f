using System.Xml.Linq;

namespace Workflow.Messaging.Deployment.Tests;

/// <summary>The src projects a host builds from, read from the real project files.</summary>
internal static class ProjectGraph
{
    private static readonly string Source = Path.Combine(RepositoryRoot(), "src");

    /// <summary>The project and every project it references, transitively, as paths relative to src/.</summary>
    public static IReadOnlySet<string> Closure(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
                continue;
            var directory = Path.GetDirectoryName(Path.Combine(Source, next))!;
            foreach (var reference in XDocument.Load(Path.Combine(Source, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(Source, full).Replace('\\', '/'));
            }
        }
        return found;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "docker-compose.yml")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No repository root above {AppContext.BaseDirectory}.");
    }
}
