namespace Workflow.Messaging.Bench.Fleet;

/// <summary>Where the fleet's build output is: found from the repository root, which holds the solution file.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; private set; } = FindRoot();

    /// <summary>Runs the fleet of another checkout (its own build output): before/after comparisons of one bench.</summary>
    public static void UseFleetOf(string checkout) => Root = Path.GetFullPath(checkout);

    public static string CoordinatorAssembly => Output("Coordinator", "Workflow.Messaging.Coordinator");
    public static string WorkerAssembly => Output("Worker", "Workflow.Messaging.Worker");

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    // The fleet of the configuration the bench was built in: its project references built it too.
    private static string Output(string project, string assembly)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", assembly + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Build the fleet first: dotnet build -c {Configuration} src/{project} ({path} is missing).");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Workflow.Messaging.sln")))
                return directory.FullName;
        return Directory.GetCurrentDirectory();
    }
}
