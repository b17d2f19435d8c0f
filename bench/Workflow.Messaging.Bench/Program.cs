using Workflow.Messaging.Bench;
using Workflow.Messaging.Bench.Chaos;

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

// Ctrl+C and SIGTERM (timeout, CI) end the run through its cancellation, so the fleet processes
// it started are stopped too instead of outliving it.
using var interrupt = new CancellationTokenSource();
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);

void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    interrupt.Cancel();
}

if (settings.FleetRoot is { } root)
    Workflow.Messaging.Bench.Fleet.RepositoryPaths.UseFleetOf(root);
return settings.Chaos
    ? await ChaosCommand.RunAsync(settings, Console.Out, interrupt.Token)
    : await BenchCommand.RunAsync(settings, Console.Out, interrupt.Token);
