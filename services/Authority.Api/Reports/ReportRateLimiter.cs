using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Traceability.ServiceDefaults.Problems;

namespace Traceability.Authority.Api.Reports;

/// <summary>
/// A fixed window per client IP address (System.Threading.RateLimiting, as the ASP.NET rate
/// limiting middleware uses), applied as an endpoint filter so the host needs no middleware.
/// The address only keys the in-memory partition; it is never stored.
/// </summary>
public sealed class ReportRateLimiter : IEndpointFilter, IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly AuthorityTelemetry _telemetry;
    private readonly int _windowSeconds;

    public ReportRateLimiter(IOptions<ReportOptions> options, AuthorityTelemetry telemetry)
    {
        var o = options.Value;
        _telemetry = telemetry;
        _windowSeconds = o.WindowSeconds;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = o.PermitLimit,
                Window = TimeSpan.FromSeconds(o.WindowSeconds),
                QueueLimit = 0,
            }));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        using var lease = _limiter.AttemptAcquire(context.HttpContext);
        if (lease.IsAcquired) return await next(context);
        _telemetry.ReportsRejected.Add(1);
        context.HttpContext.Response.Headers.RetryAfter = _windowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many reports",
            "This device has sent many reports in a short time; please try again later.");
        return Results.Empty;
    }

    public void Dispose() => _limiter.Dispose();
}
