using Scalar.AspNetCore;
using Traceability.Ingestion.Api;
using Traceability.Lookup.Api;
using Traceability.ServiceDefaults;
using Traceability.Standalone.Demo;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIngestion();
builder.AddLookup();
builder.AddDemoData();
builder.Services.AddOpenApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseStaticFiles();
app.MapIngestionApi();
app.MapLookupApi();
app.MapOpenApi();
app.MapScalarApiReference("/docs", o => o.WithTitle("Traceability API"));
app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
app.Run();

public partial class Program;
