using Scalar.AspNetCore;
using Traceability.Authority.Api;
using Traceability.Authority.Api.Workspace;
using Traceability.Ingestion.Api;
using Traceability.Lookup.Api;
using Traceability.Lookup.Api.Provenance;
using Traceability.ProducerConsole;
using Traceability.ServiceDefaults;
using Traceability.ServiceDefaults.Auth;
using Traceability.Standalone.Backup;
using Traceability.Standalone.Demo;
using Traceability.Sync;
using Traceability.Sync.Api;
using Traceability.PortalSimulator;

// appsettings.json and wwwroot are copied next to the binaries, so `dotnet run` works from any
// working directory (which stays where ./data goes).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = BackupCommands.Handles(args) || RebuildLookupCommand.Handles(args) ? args[1..] : args,
    ContentRootPath = AppContext.BaseDirectory,
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});
// `backup --to DIR` / `restore --from DIR`: the host's configuration, no server.
if (BackupCommands.Handles(args)) return BackupCommands.Run(args, builder.Configuration, Console.Out, Console.Error);
builder.AddServiceDefaults();
builder.AddIngestion();
builder.AddLookup();
builder.AddAuthority();
builder.AddAuthorityWorkspace();
builder.AddInProcessPortalWhenUnset();
builder.AddSyncWorker();
builder.AddConsole();
builder.AddVerification();
builder.AddDemoData();
builder.AddScheduledBackups();
builder.Services.AddOpenApi();

var app = builder.Build();
// `rebuild-lookup`: the lookup read model rebuilt from the events, with the host's configuration; no server.
if (RebuildLookupCommand.Handles(args)) return await RebuildLookupCommand.RunAsync(app.Services, Console.Out, Console.Error);
app.MapDefaultEndpoints();
app.UseStaticFiles();
app.MapIngestionApi();
app.MapLookupApi();
app.MapAuthorityApi();
app.MapSyncApi();
app.MapInProcessPortal(controlPolicy: Policies.Admin);
app.MapConsole();
app.MapAuthorityWorkspace();
app.MapVerificationApi();
app.MapOpenApi();
app.MapScalarApiReference("/docs", o => o.WithTitle("Traceability API"));
app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
app.Run();
return 0;

public partial class Program;
