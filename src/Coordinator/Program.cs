using Workflow.Messaging.Coordinator.Api;
using Workflow.Messaging.Coordinator.Hosting;
using Workflow.Messaging.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCoordinator(x => x.AddExecutionProgressFeed());
builder.AddCoordinatorApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCoordinatorApi();
app.Run();
