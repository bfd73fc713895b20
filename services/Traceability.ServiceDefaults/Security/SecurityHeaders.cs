namespace Traceability.ServiceDefaults.Security;

/// <summary>Options section "SecurityHeaders".</summary>
public sealed class SecurityHeadersOptions
{
    public const string SectionName = "SecurityHeaders";

    /// <summary>
    /// Sent with HTML responses that did not set a policy of their own: nothing from other origins,
    /// no inline script, no framing.
    /// </summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Path prefixes whose HTML gets no default policy: the API reference page (Scalar) runs an
    /// inline script. Pages there may still send their own.
    /// </summary>
    public List<string> ContentSecurityPolicyExemptPaths { get; set; } = ["/docs", "/scalar"];
}

/// <summary>
/// Headers every response carries. They are added when the response starts, so endpoints that set
/// their own (a page with a stricter CSP) keep theirs.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<SecurityHeadersOptions>>().Value;
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var (ctx, opts) = ((HttpContext, SecurityHeadersOptions))state;
                Apply(ctx, opts);
                return Task.CompletedTask;
            }, (context, options));
            return next(context);
        });
    }

    internal static void Apply(HttpContext context, SecurityHeadersOptions options)
    {
        var headers = context.Response.Headers;
        headers.TryAdd("X-Content-Type-Options", "nosniff");
        headers.TryAdd("Referrer-Policy", "strict-origin-when-cross-origin");
        headers.TryAdd("X-Frame-Options", "DENY");
        if (IsHtml(context.Response.ContentType)
            && !headers.ContainsKey("Content-Security-Policy")
            && !options.ContentSecurityPolicyExemptPaths.Any(p => context.Request.Path.StartsWithSegments(p)))
            headers.ContentSecurityPolicy = options.ContentSecurityPolicy;
    }

    private static bool IsHtml(string? contentType) =>
        contentType is not null && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);
}
