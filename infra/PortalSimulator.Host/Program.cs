using Traceability.PortalSimulator;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPortalSimulator(builder.Configuration);
var app = builder.Build();
app.MapPortalSimulator();
app.Run();
