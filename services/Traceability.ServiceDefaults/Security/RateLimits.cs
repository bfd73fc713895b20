using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Traceability.ServiceDefaults.Security;

/// <summary>Named rate-limit policies; endpoints opt in with <c>.RequireRateLimiting(RateLimitPolicies.Public)</c>.</summary>
public static class RateLimitPolicies
{
    /// <summary>Anonymous public endpoints (lookup, verify, decode, reports): a fixed window per client IP.</summary>
    public const string Public = "public";
}

/// <summary>Options section "RateLimits".</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>
    /// Requests per client IP per window on public endpoints; 0 switches the limit off (benchmarks).
    /// The default, 1,000 per 10 s, lets a shop's shared NAT through and stops scraping loops.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int PublicPermitLimit { get; set; } = 1000;

    [Range(1, 3600)]
    public int PublicWindowSeconds { get; set; } = 10;

    /// <summary>
    /// Applies the public limit to every anonymous endpoint (no authorization, or AllowAnonymous:
    /// lookup, verify, decode, reports, warnings) without each service opting in. Health probes are exempt.
    /// </summary>
    public bool ApplyToAnonymousEndpoints { get; set; } = true;
}

public static class RateLimitExtensions
{
    public static IServiceCollection AddTraceabilityRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
            {
                var o = limits.Value;
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.AddPolicy(RateLimitPolicies.Public, context => o.PublicPermitLimit <= 0
                    ? RateLimitPartition.GetNoLimiter("off")
                    : RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = o.PublicPermitLimit,
                        Window = TimeSpan.FromSeconds(o.PublicWindowSeconds),
                        QueueLimit = 0,
                    }));
                if (o.ApplyToAnonymousEndpoints && o.PublicPermitLimit > 0)
                    limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsAnonymous(context)
                        ? RateLimitPartition.GetFixedWindowLimiter("anonymous " + ClientKey(context), _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = o.PublicPermitLimit,
                            Window = TimeSpan.FromSeconds(o.PublicWindowSeconds),
                            QueueLimit = 0,
                        })
                        : RateLimitPartition.GetNoLimiter("authorized"));
                limiter.OnRejected = (ctx, _) =>
                {
                    // A fixed window always knows its end; the window itself is the fallback.
                    var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                        ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : o.PublicWindowSeconds;
                    ctx.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    // A shopper's phone opening a product page gets a page it can read, not JSON.
                    if (TooManyRequestsPage.Wanted(ctx.HttpContext.Request))
                        return new ValueTask(TooManyRequestsPage.WriteAsync(ctx.HttpContext, seconds));
                    return new ValueTask(Problems.ProblemWriter.WriteAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests,
                        "Too many requests", "This client sent too many requests; wait for the time in 'Retry-After' and try again."));
                };
            });
        return services;
    }

    private static bool IsAnonymous(HttpContext context)
    {
        if (context.GetEndpoint() is not { } endpoint) return false;
        if (context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/alive")) return false;
        return endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null
            || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is null;
    }

    // Behind a reverse proxy every client shares the proxy's address: the deployment must enable
    // forwarded headers (UseForwardedHeaders with the proxy's address as known) for this to be per client.
    private static string ClientKey(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
