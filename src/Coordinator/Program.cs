using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Console;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCoordinator(x => x.AddExecutionProgressFeed());
builder.AddCoordinatorApi();
builder.AddCoordinatorConsole();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCoordinatorApi();
app.MapCoordinatorConsole();
app.Run();
