using System.Collections;
using System.ComponentModel;
using System.Reflection;
using MassTransit;
using Workflow.Messaging.Coordinator;
using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Persistence;
using Workflow.Messaging.Engine.Nodes;
using Workflow.Messaging.Scheduling;
using Workflow.Messaging.ServiceDefaults;
using Workflow.Messaging.Worker;

namespace Workflow.Messaging.Deployment.Tests;

/// <summary>A configuration section a host binds, and the options type it is bound onto.</summary>
internal sealed record BoundSection(string Path, Type Options);

/// <summary>
/// The configuration keys one host reads, taken from the options classes themselves, so a renamed
/// property or section fails the deployment tests instead of being silently ignored in a container.
/// </summary>
internal sealed class HostConfiguration(IReadOnlyList<BoundSection> sections, IReadOnlyList<string> hostKeys)
{
    private static readonly BoundSection[] EveryHost =
    [
        new(WorkerHostExtensions.RabbitMqSection, typeof(RabbitMqTransportOptions)),
        new(WorkerOptions.SectionName, typeof(WorkerOptions)),
        new(HttpNodeOptions.SectionName, typeof(HttpNodeOptions)),
        new(CodeNodeOptions.SectionName, typeof(CodeNodeOptions)),
        new(TelemetryOptions.Section, typeof(TelemetryOptions)),
        new(SeqOptions.Section, typeof(SeqOptions)),
    ];

    public static readonly HostConfiguration Coordinator = new(
        [.. EveryHost, new(CoordinatorOptions.Section, typeof(CoordinatorOptions)), new(SchedulerOptions.SectionName, typeof(SchedulerOptions)),
            new(PersistenceOptions.Section, typeof(PersistenceOptions)), new(ApiOptions.Section, typeof(ApiOptions))],
        ["ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT"]);

    public static readonly HostConfiguration Worker = new(EveryHost, ["DOTNET_ENVIRONMENT"]);

    public static HostConfiguration ForService(string service) => service switch
    {
        "coordinator" => Coordinator,
        "worker" => Worker,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "Not a host of ours."),
    };

    /// <summary>Whether an environment variable (<c>Section__Key__0</c>) reaches a bound option.</summary>
    public bool Binds(string environmentVariable)
    {
        if (hostKeys.Contains(environmentVariable, StringComparer.OrdinalIgnoreCase))
            return true;

        var path = environmentVariable.Replace("__", ":", StringComparison.Ordinal);
        foreach (var section in sections)
        {
            var prefix = section.Path + ":";
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && Resolves(section.Options, path[prefix.Length..].Split(':')))
                return true;
        }
        return false;
    }

    private static bool Resolves(Type type, ReadOnlySpan<string> segments)
    {
        if (segments.IsEmpty)
            return IsValue(type);
        if (ElementType(type) is { } element)
            return int.TryParse(segments[0], out _) && Resolves(element, segments[1..]);

        var property = type.GetProperty(segments[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null)
            return false;
        // The binder sets public setters and fills collections it can reach through a getter.
        var bindable = property.SetMethod is { IsPublic: true } || ElementType(property.PropertyType) is not null;
        return bindable && Resolves(property.PropertyType, segments[1..]);
    }

    private static bool IsValue(Type type) =>
        TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).CanConvertFrom(typeof(string));

    private static Type? ElementType(Type type) =>
        type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type)
            ? null
            : type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                ?.GetGenericArguments()[0];
}
