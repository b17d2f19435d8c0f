using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.ServiceDefaults;
using Workflow.Messaging.Worker;

// Settings files beside the binary, wherever it is started from (deploy/local/fleet.sh, a container).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.AddWorker();
// Probes reach a worker on Worker:HealthPort: /health/live, /health/ready (bus), /metrics.
builder.AddHealthPort(builder.Configuration.GetValue<int?>($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.HealthPort)}"));
// Exit code 75 when the host did not start in time (Hosting:StartDeadline) or lost its consumers.
return builder.Build().RunUntilStopped();
