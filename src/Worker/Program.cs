using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Workflow.Messaging.ServiceDefaults;
using Workflow.Messaging.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddWorker();
// Probes reach a worker on Worker:HealthPort: /health/live, /health/ready (bus), /metrics.
builder.AddHealthPort(builder.Configuration.GetValue<int?>($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.HealthPort)}"));
builder.Build().Run();
