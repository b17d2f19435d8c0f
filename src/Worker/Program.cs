using Microsoft.Extensions.Hosting;
using Workflow.Messaging.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.AddWorker();
builder.Build().Run();
