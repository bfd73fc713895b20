namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// When the host itself serves HTTPS (an https:// address in <c>--urls</c> / <c>ASPNETCORE_URLS</c>
/// or <c>Kestrel:Endpoints:*:Url</c>, certificate from <c>Kestrel:Certificates:Default:Path</c> and
/// <c>KeyPath</c>): HSTS on every HTTPS answer and plain-HTTP requests redirected to HTTPS — except
/// /health and /alive, which local probes and systemd checks ask over loopback HTTP. Behind a
/// reverse proxy that terminates TLS the proxy does both (infra/deploy/README.md).
/// </summary>
public static class HttpsTransport
{
    public static bool IsConfigured(IConfiguration configuration) =>
        (configuration["urls"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase)
        || configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Any(e => (e["Url"] ?? "").StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    public static IHostApplicationBuilder AddHttpsTransport(this IHostApplicationBuilder builder)
    {
        // A year, the usual minimum for HSTS; no includeSubDomains or preload: a province's
        // domain often has other services under it that this host cannot vouch for.
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    public static WebApplication UseHttpsTransport(this WebApplication app)
    {
        if (!IsConfigured(app.Configuration)) return app;
        app.UseHsts();
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/health") && !c.Request.Path.StartsWithSegments("/alive"),
            branch => branch.UseHttpsRedirection());
        return app;
    }
}
