using System.Globalization;

namespace Workflow.Messaging.Bench.Measurement;

/// <summary>CPU time and memory of one process from /proc, so in-process and fleet runs are measured the same way.</summary>
internal sealed record ProcessProbe(string Role, int Pid)
{
    // USER_HZ is 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public static ProcessProbe Self(string role) => new(role, Environment.ProcessId);

    public ProcessSample? Read()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            // The command name is in parentheses and may hold spaces: fields are counted after it.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            var status = File.ReadAllLines($"/proc/{Pid}/status");
            return new ProcessSample(cpu, Kilobytes(status, "VmHWM:") / 1024.0, Kilobytes(status, "VmRSS:") / 1024.0);
        }
        catch (IOException)
        {
            return null; // the process ended (a killed worker)
        }
    }

    private static long Kilobytes(string[] status, string key) =>
        status.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;
}

internal sealed record ProcessSample(double CpuSeconds, double PeakMb, double RssMb);
