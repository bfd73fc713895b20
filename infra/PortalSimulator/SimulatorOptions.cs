using System.ComponentModel.DataAnnotations;

namespace Traceability.PortalSimulator;

/// <summary>Bound from "PortalSimulator". Faults can be changed at run time with POST /_sim/faults.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "PortalSimulator";

    /// <summary>Accepted client id; empty accepts any (handy for demos).</summary>
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    [Required]
    public FaultSettings Faults { get; set; } = new();
}

/// <summary>
/// What the simulator does wrong, on purpose. Each /sso and /gw request draws independently:
/// first the rate limit, then errorRate (answered with a status picked from <see cref="Statuses"/>,
/// or <see cref="Status"/>), and for a request it accepted, dropRate (stored, then the connection
/// is dropped without an answer).
/// </summary>
public sealed record FaultSettings
{
    [Range(0.0, 1.0)]
    public double ErrorRate { get; init; }

    /// <summary>Status of an injected error (500, 503, 429, …).</summary>
    [Range(400, 599)]
    public int Status { get; init; } = 503;

    /// <summary>When set, an injected error picks one of these at random instead of <see cref="Status"/>.</summary>
    public IReadOnlyList<int>? Statuses { get; init; }

    [Range(0, 60_000)]
    public int LatencyMs { get; init; }

    /// <summary>Requests per second accepted before answering 429 (0 = no limit).</summary>
    [Range(0, 1_000_000)]
    public double RateLimitPerSecond { get; init; }

    [Range(0.0, 1.0)]
    public double DropRate { get; init; }

    [Range(1, 86_400)]
    public int TokenLifetimeSeconds { get; init; } = 3600;

    /// <summary>Retry-After sent with every 429.</summary>
    [Range(0, 3600)]
    public int RetryAfterSeconds { get; init; } = 1;

    [JsonIgnore]
    public static FaultSettings None { get; } = new();
}
