using System.Globalization;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>The machine's load average, so a result says how busy the machine was while it was taken.</summary>
internal static class MachineLoad
{
    public static string Describe()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Create(CultureInfo.InvariantCulture, $"load {parts[0]} {parts[1]} {parts[2]} on {Environment.ProcessorCount} cores");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
