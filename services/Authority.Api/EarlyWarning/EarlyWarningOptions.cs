using System.ComponentModel.DataAnnotations;

namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>Configuration section "EarlyWarning" (validated at start: a bad value stops the host).</summary>
public sealed class EarlyWarningOptions
{
    public const string Section = "EarlyWarning";

    /// <summary>
    /// The score from which a case becomes an alert: −log10 of the chance of seeing at least that
    /// many by chance on a usual day (4 = once in 10,000 days of one product in one province).
    /// </summary>
    [Range(1.0, 50.0)]
    public double Threshold { get; set; } = 4.0;

    /// <summary>Days of a case's own history its baseline is learned from (the days before the scored one).</summary>
    [Range(7, 365)]
    public int HistoryDays { get; set; } = 28;
}
