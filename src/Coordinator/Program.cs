using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Console;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.ServiceDefaults;

// Settings files beside the binary, wherever it is started from (deploy/local/fleet.sh, a container).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.AddCoordinator(x => x.AddExecutionProgressFeed());
builder.AddCoordinatorApi();
builder.AddCoordinatorConsole();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCoordinatorApi();
app.MapCoordinatorConsole();
// Exit code 75 when the host did not start in time (Hosting:StartDeadline) or lost its consumers.
return app.RunUntilStopped();
