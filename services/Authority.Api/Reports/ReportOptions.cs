namespace Traceability.Authority.Api.Reports;

/// <summary>
/// Bound from "Reports". Two limits per window: one per device (a random cookie) and a higher one
/// per client address, because many phones share one address behind a carrier's NAT. Neither the
/// address nor the cookie is stored.
/// </summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>Reports one device (its cookie) may send per window.</summary>
    [Range(1, 10_000)]
    public int PermitLimit { get; set; } = 5;

    /// <summary>Reports one client address may send per window, all its devices together.</summary>
    [Range(1, 100_000)]
    public int AddressPermitLimit { get; set; } = 100;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 600;

    [Range(1, 20_000)]
    public int MaxMessageLength { get; set; } = 2000;

    [Range(1, 1000)]
    public int MaxContactLength { get; set; } = 200;

    /// <summary>Days a complaint may stay new or in review before the workspace flags it overdue.</summary>
    [Range(1, 365)]
    public int OverdueDays { get; set; } = 15;
}
