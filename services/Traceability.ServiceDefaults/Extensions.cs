using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Traceability.ServiceDefaults.Auth;
using Traceability.ServiceDefaults.Health;
using Traceability.ServiceDefaults.Http;
using Traceability.ServiceDefaults.Security;
using Traceability.ServiceDefaults.Telemetry;
using Traceability.Storage.Mongo;

namespace Traceability.ServiceDefaults;

public static class Extensions
{
    /// <summary>What every Traceability service needs: telemetry, problem details, health, auth, the store.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        // First, before anything writes under the data directory.
        ProcessLimits.RestrictNewFilesToOwner();
        builder.Services.AddHostedService<DataDirectoryGuard>();
        builder.AddConnectionLimits();
        builder.AddTrustedProxies();
        builder.AddHttpsTransport();
        builder.AddTraceabilityTelemetry();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // Never leak internals: the exception handler's problem carries only a trace id.
            ctx.ProblemDetails.Extensions.Remove("exception");
            ctx.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString()
                ?? ctx.HttpContext.TraceIdentifier;
            // Routing answers 415 itself for a body type an endpoint does not accept: say which it does (every API body is
            // JSON; EPCIS capture also takes the XML binding).
            if (ctx.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && ctx.ProblemDetails.Detail is null)
                ctx.ProblemDetails.Detail = ctx.HttpContext.Request.Path.StartsWithSegments("/epcis")
                    ? "Send the EPCIS document as application/ld+json, application/json (JSON binding), application/xml or text/xml (XML binding)."
                    : ctx.HttpContext.Request.ContentType?.Contains("xml", StringComparison.OrdinalIgnoreCase) == true
                        ? "XML bodies are not accepted here (only EPCIS capture takes XML): send JSON, as application/json or application/ld+json."
                        : "Send the body as application/json (or application/ld+json).";
            if (ctx.ProblemDetails.Status == StatusCodes.Status507InsufficientStorage)
            {
                ctx.ProblemDetails.Title = "Insufficient storage";
                ctx.ProblemDetails.Detail = "The server's storage is full: nothing of this request was stored. Retry once space is freed.";
            }
        });
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddTraceabilityStore(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store").AddCheck<DiskSpaceHealthCheck>("disk");
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole("admin"))
            .AddPolicy(Policies.Producer, p => p.RequireRole("producer"))
            .AddPolicy(Policies.Inspector, p => p.RequireRole("inspector"))
            .AddPolicy(Policies.AdminOrProducer, p => p.RequireRole("admin", "producer"))
            .AddPolicy(Policies.AdminOrInspector, p => p.RequireRole("admin", "inspector"))
            .AddPolicy(Policies.Staff, p => p.RequireRole("admin", "officer", "viewer"))
            .AddPolicy(Policies.StaffWriter, p => p.RequireRole("admin", "officer"))
            .AddPolicy(Policies.StaffWriterOrProducer, p => p.RequireRole("admin", "officer", "producer"));
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        builder.Services.AddSingleton<FailedAuthLimiter>();
        builder.Services.AddHostedService<AdminKeyBootstrap>();
        builder.Services.AddOptions<SecurityHeadersOptions>().BindConfiguration(SecurityHeadersOptions.SectionName);
        builder.Services.AddTraceabilityRateLimits();
        builder.Services.AddUploadLimits();
        // A body over a size limit, or too slow, surfaces as BadHttpRequestException: answer its status (413, 408), not 500.
        // A full disk (SQLITE_FULL, ENOSPC) is 507: nothing was stored, and the client may retry later.
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = e =>
            e is BadHttpRequestException bad ? bad.StatusCode
            : e.IsDiskFull() ? StatusCodes.Status507InsufficientStorage
            : StatusCodes.Status500InternalServerError);
        return builder;
    }

    /// <summary>Selects the store provider from <c>Storage:Provider</c> (Sqlite by default).</summary>
    public static IServiceCollection AddTraceabilityStore(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] ?? "Sqlite";
        return provider.ToLowerInvariant() switch
        {
            "sqlite" => services.AddSqliteTraceStore(),
            "mongo" => services.AddMongoTraceStore(configuration),
            _ => throw new InvalidOperationException(
                $"Storage:Provider '{provider}' is not known; use 'Sqlite' or 'Mongo'."),
        };
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseHttpsTransport();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseUploadLimits();
        app.MapPrometheusIfEnabled();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        return app;
    }

    private sealed class StoreHealthCheck(IEventStore events) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            await events.CountEventsAsync(ct);
            return HealthCheckResult.Healthy();
        }
    }
}
