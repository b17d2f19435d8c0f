using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Workflow.Messaging.ServiceDefaults;

/// <summary>
/// Ends a host that cannot recover by itself (a start that does not finish, a receive endpoint
/// that a bus restart does not bring back) for its supervisor (compose, Kubernetes, the bench
/// fleet) to start it again: exit code 75 (EX_TEMPFAIL), after a normal stop. A stop can hang on
/// the very thing that is stuck (MassTransit's bus stop waits for a consume that ignores its
/// token), so a process that owns its host is killed when the stop has not ended 30 s later.
/// </summary>
public static class SupervisedExit
{
    /// <summary>EX_TEMPFAIL: the host gave up and expects its supervisor to start it again.</summary>
    public const int ExitCode = 75;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    // Set by RunUntilStopped: only a host that is the process is ever killed. A host built inside
    // another process (a test's) is only stopped.
    internal static volatile bool OwnsProcess;

    /// <summary>Sets the exit code, stops the host and, if it is the process, kills it should the stop hang.</summary>
    public static void Request(IHostApplicationLifetime lifetime, ILogger log)
    {
        Environment.ExitCode = ExitCode;
        lifetime.StopApplication();
        if (OwnsProcess)
            _ = KillAfterGraceAsync(log);
    }

    private static async Task KillAfterGraceAsync(ILogger log)
    {
        await Task.Delay(StopGrace);
        log.LogCritical("The host did not stop within {Grace} of being asked to exit for its supervisor; killing the process", StopGrace);
        Process.GetCurrentProcess().Kill();
    }
}
