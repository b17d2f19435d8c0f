using System.Reflection;

namespace Workflow.Messaging.Testing;

/// <summary>
/// The built Coordinator and Worker hosts. The project references them, so building the tests (or
/// the solution) builds them first, in the same configuration, into their own output folders.
/// </summary>
internal static class HostBinaries
{
    public static string Coordinator => Locate("Coordinator", "Workflow.Messaging.Coordinator");
    public static string Worker => Locate("Worker", "Workflow.Messaging.Worker");

    private static string Locate(string project, string assembly)
    {
        var configuration = typeof(HostBinaries).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(RepositoryRoot(), "src", project, "bin", configuration, "net10.0", assembly + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The {project} host is not built: run `dotnet build src/{project} -c {configuration}` first.", path);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "global.json")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No repository root above {AppContext.BaseDirectory}.");
    }
}
