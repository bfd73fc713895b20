using System.Threading.RateLimiting;
using Traceability.Lookup.Api.Pages;

namespace Traceability.Authority.Api.Reports;

/// <summary>
/// Fixed windows per device and per client address (System.Threading.RateLimiting, as the ASP.NET
/// rate limiting middleware uses), applied as an endpoint filter so the host needs no middleware.
/// Many phones share one address behind a carrier's NAT, so the address alone would silence a whole
/// market: each device gets a random cookie and its own small limit, and the address a higher ceiling,
/// which also bounds a sender that drops the cookie. Address and cookie only key the in-memory
/// partitions; neither is stored. A browser is refused with a page in its language, an API client
/// with problem+json.
/// </summary>
public sealed class ReportRateLimiter : IEndpointFilter, IDisposable
{
    /// <summary>The per-device cookie: 32 random hex digits, sent back only to the report endpoint.</summary>
    public const string DeviceCookie = "report_device";

    private readonly PartitionedRateLimiter<HttpContext> _byDevice;
    private readonly PartitionedRateLimiter<HttpContext> _byAddress;
    private readonly AuthorityTelemetry _telemetry;
    private readonly int _windowSeconds;

    public ReportRateLimiter(IOptions<ReportOptions> options, AuthorityTelemetry telemetry)
    {
        var o = options.Value;
        _telemetry = telemetry;
        _windowSeconds = o.WindowSeconds;
        _byDevice = Limiter(context => (string)context.Items[DeviceCookie]!, o.PermitLimit, o.WindowSeconds);
        _byAddress = Limiter(context => context.Connection.RemoteIpAddress?.ToString() ?? "unknown", o.AddressPermitLimit, o.WindowSeconds);
    }

    private static PartitionedRateLimiter<HttpContext> Limiter(Func<HttpContext, string> key, int permits, int windowSeconds) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(key(context),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromSeconds(windowSeconds), QueueLimit = 0 }));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Items[DeviceCookie] = Device(http);
        // The device first: a device over its own limit does not use up its neighbours' shared ceiling.
        using (var device = _byDevice.AttemptAcquire(http))
        {
            if (!device.IsAcquired) return await RefuseAsync(http, "device");
        }
        using (var address = _byAddress.AttemptAcquire(http))
        {
            if (!address.IsAcquired) return await RefuseAsync(http, "address");
        }
        return await next(context);
    }

    /// <summary>The device's id from its cookie, or a new one set on the answer.</summary>
    private static string Device(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(DeviceCookie, out var id) && id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower))
            return id;
        id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(DeviceCookie, id, new CookieOptions
        {
            Path = ReportPages.SubmitPath, HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict,
            MaxAge = TimeSpan.FromDays(365), IsEssential = true,
        });
        return id;
    }

    private async Task<object?> RefuseAsync(HttpContext http, string by)
    {
        _telemetry.ReportsRejected.Add(1, new KeyValuePair<string, object?>("by", by));
        http.Response.Headers.RetryAfter = _windowSeconds.ToString(CultureInfo.InvariantCulture);
        if (ReportsApi.AcceptsHtml(http.Request))
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.ContentSecurityPolicy = ReportPages.ContentSecurityPolicy;
            await http.Response.WriteAsync(ReportPages.TooMany(_windowSeconds, ReportPages.Language(http.Request)), http.RequestAborted);
        }
        else
        {
            await ProblemWriter.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many reports",
                "This device or network has sent many reports in a short time; please try again later.");
        }
        return Results.Empty;
    }

    public void Dispose()
    {
        _byDevice.Dispose();
        _byAddress.Dispose();
    }
}
