namespace Workflow.Messaging.Deployment.Tests;

public sealed class DockerfileTests
{
    [Theory]
    [InlineData("Dockerfile.coordinator", "Workflow.Messaging.Coordinator", "aspnet")]
    [InlineData("Dockerfile.worker", "Workflow.Messaging.Worker", "aspnet")]
    public void An_image_is_built_by_the_sdk_and_runs_the_host_as_a_non_root_user(string file, string assembly, string runtimeImage)
    {
        var lines = DeploymentFiles.Text(file).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var finalStage = lines.Skip(lines.LastIndexOf(stages[^1])).ToList();

        stages.Should().HaveCount(2);
        stages[0].Should().StartWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build");
        stages[1].Should().Be($"FROM mcr.microsoft.com/dotnet/{runtimeImage}:10.0");
        finalStage.Should().Contain(l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.EndsWith(" root", StringComparison.Ordinal));
        finalStage.Should().Contain($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]");
        lines.Should().Contain(l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal) && l.Contains($"{assembly}.csproj"));
    }

    [Theory]
    [InlineData("Dockerfile.coordinator", "Coordinator/Workflow.Messaging.Coordinator.csproj")]
    [InlineData("Dockerfile.worker", "Worker/Workflow.Messaging.Worker.csproj")]
    public void The_restore_layer_copies_every_project_the_host_builds_from(string file, string project)
    {
        var copied = DeploymentFiles.Text(file).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("COPY src/", StringComparison.Ordinal) && l.Contains("*.csproj", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1].Replace("/*.csproj", "", StringComparison.Ordinal))
            .ToList();

        var needed = ProjectGraph.Closure(project).Select(p => "src/" + Path.GetDirectoryName(p)!.Replace('\\', '/')).ToList();

        needed.Should().NotBeEmpty();
        copied.Should().BeEquivalentTo(needed, "a project missing from the restore layer breaks `dotnet restore` in the image");
    }

    [Fact]
    public void The_entry_points_name_the_assemblies_the_projects_build()
    {
        typeof(Coordinator.CoordinatorOptions).Assembly.GetName().Name.Should().Be("Workflow.Messaging.Coordinator");
        typeof(Worker.WorkerOptions).Assembly.GetName().Name.Should().Be("Workflow.Messaging.Worker");
    }
}
