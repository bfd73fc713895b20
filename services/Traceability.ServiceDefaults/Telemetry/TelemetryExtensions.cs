using Microsoft.AspNetCore.Routing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Traceability.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Every ActivitySource and Meter of ours is named "Traceability.*".</summary>
    public const string SourcePrefix = "Traceability.*";

    public static IHostApplicationBuilder AddTraceabilityTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithTracing(t => t
                .AddSource(SourcePrefix)
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health")
                    && !ctx.Request.Path.StartsWithSegments("/alive"))
                .AddHttpClientInstrumentation());
        var prometheus = PrometheusEnabled(builder.Configuration);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        // Metrics only when something reads them. Listening to a meter turns on its instruments: with
        // the "Polly" meter and the HttpClient and ASP.NET Core instrumentation that is several tagged
        // measurements per portal push and per request, aggregated and never exported (issue 22: part
        // of what the sync worker paid per record on top of its client).
        if (prometheus || otlp)
            otel.WithMetrics(m => m
                .AddMeter(SourcePrefix, "Polly")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());
        if (prometheus)
            otel.WithMetrics(m => m.AddPrometheusExporter());
        if (otlp)
            otel.UseOtlpExporter();
        return builder;
    }

    /// <summary><c>Telemetry:Prometheus</c> = true serves <c>/metrics</c> in the Prometheus text format.</summary>
    public static bool PrometheusEnabled(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        configuration.GetValue("Telemetry:Prometheus", false);

    /// <summary>
    /// Maps <c>/metrics</c> when switched on. Metrics describe the business (volumes, backlog), so the
    /// endpoint needs the admin key (Prometheus: <c>authorization: { credentials: … }</c>) unless
    /// <c>Telemetry:PrometheusAnonymous</c> is true for a scrape on a private network.
    /// </summary>
    public static IEndpointRouteBuilder MapPrometheusIfEnabled(this IEndpointRouteBuilder app)
    {
        var configuration = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        if (!PrometheusEnabled(configuration)) return app;
        var endpoint = app.MapPrometheusScrapingEndpoint("/metrics");
        if (!configuration.GetValue("Telemetry:PrometheusAnonymous", false))
            endpoint.RequireAuthorization(Auth.Policies.Admin);
        return app;
    }
}
