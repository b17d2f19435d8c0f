using System.Diagnostics;
using Workflow.Messaging.Bench.Measurement;

namespace Workflow.Messaging.Bench.Fleet;

/// <summary>
/// One coordinator or worker process started from its build output. Its output goes to a log
/// file; it can be stopped gracefully (SIGTERM) or killed (SIGKILL) by its own pid only.
/// </summary>
internal sealed class FleetProcess : IDisposable
{
    private readonly Process _process;

    private FleetProcess(string role, Process process, string logPath)
    {
        Role = role;
        _process = process;
        LogPath = logPath;
        Probe = new ProcessProbe(role, process.Id);
    }

    public string Role { get; }
    public string LogPath { get; }
    public ProcessProbe Probe { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Exited without the fleet stopping or killing it (a crash, or a host that gave up: exit code 75).</summary>
    public bool ExitedByItself => _process.HasExited && !_stopRequested;

    public int ExitCode => _process.ExitCode;

    private volatile bool _stopRequested;

    public static FleetProcess Start(string role, string assemblyPath, IReadOnlyDictionary<string, string?> environment, string logDirectory)
    {
        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, $"{role}-{DateTime.UtcNow:HHmmss.fff}.log");
        var info = new ProcessStartInfo("dotnet", [assemblyPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {assemblyPath}.");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var gate = new object();
        void Write(string? line)
        {
            if (line is null)
                return;
            lock (gate)
                log.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => { lock (gate) log.Dispose(); };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new FleetProcess(role, process, logPath);
    }

    /// <summary>SIGKILL: the process gets no chance to finish or hand anything back.</summary>
    public void Kill()
    {
        _stopRequested = true;
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: false);
    }

    /// <summary>SIGTERM, then SIGKILL if it has not ended within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _stopRequested = true;
        if (_process.HasExited)
            return;
        await SendSigtermAsync(_process.Id);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellation) => _process.WaitForExitAsync(cancellation);

    public string Tail(int lines)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task SendSigtermAsync(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
