using System.ComponentModel.DataAnnotations;

namespace Traceability.NationalPortal.Client;

/// <summary>Where the national portal is and how hard to push it. Bound from "Portal".</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Base address of the portal (the simulator's prefix included, e.g. http://host/_portal/).</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// The portal's request quota; the client never sends faster than this. The default 50/s is an
    /// assumption (the quota is not published, DESIGN §5): set the operator's figure.
    /// </summary>
    [Range(0.1, 1_000_000)]
    public double RatePerSecond { get; set; } = 50;

    /// <summary>Requests allowed to wait for a rate-limiter permit before being rejected.</summary>
    [Range(0, 1_000_000)]
    public int RateLimitQueue { get; set; } = 10_000;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>First retry delay; doubles each attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on one retry delay, including a Retry-After the portal asks for.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of failed calls in the sampling window that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A cached token is replaced this long before the portal says it expires.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenRefreshBefore { get; set; } = TimeSpan.FromSeconds(30);
}
