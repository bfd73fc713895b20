namespace Traceability.Domain.EarlyWarning;

/// <summary>
/// One kind of early-warning case: the counter (<see cref="Signal"/>) it is scored from, whether it
/// is about a lot (else the product as a whole), and the floor of its baseline λ (a day's expected
/// count never goes below it, so one stray scan of a product without history is not an alarm).
/// </summary>
public sealed record AlertKind(string Name, string Signal, bool LotLevel, double Floor, bool Surge = false);

/// <summary>The one vocabulary of signals and alert kinds (the API's <c>kind</c> filter, the stored alerts, the texts).</summary>
public static class AlertKinds
{
    /// <summary>Scans of codes never issued (unknown lot or serial) under a registered producer's GTIN, per province.</summary>
    public static readonly AlertKind UnknownCodes = new("unknown_codes", "unknown", false, 0.3);

    /// <summary>
    /// Consumer lookups of a lot in a province it was never shipped to (when its shipping destinations are known).
    /// Floor 0.15 a day per lot and province: travellers carry a lot far now and then, but a few a day in one far province is a trade.
    /// </summary>
    public static readonly AlertKind FarFromShipping = new("far_from_shipping", "far", true, 0.15);

    /// <summary>
    /// Consumer lookups of a lot after its recall: still on shelves. Floor 0.01: one lookup (a buyer
    /// checking the pack at home) is no alert, two in one province on one day are — at any hour.
    /// </summary>
    public static readonly AlertKind AfterRecall = new("after_recall", "after_recall", true, 0.01);

    /// <summary>Consumer lookups of a lot after its expiry date (Vietnam time).</summary>
    public static readonly AlertKind AfterExpiry = new("after_expiry", "after_expiry", true, 0.3);

    /// <summary>Consumer lookups of a product in a province against its own history (Poisson and robust z).</summary>
    public static readonly AlertKind LookupSurge = new("lookup_surge", "lookups", false, 1.0, Surge: true);

    /// <summary>Consumer complaints about a product against its own history.</summary>
    public static readonly AlertKind ComplaintSurge = new("complaint_surge", "complaints", false, 0.2);

    /// <summary>Serials of a lot that newly show a clone pattern (CloneDetector: distinct clients, impossible attested travel).</summary>
    public static readonly AlertKind CloneSerials = new("clone_serials", "clone", true, 0.05);

    /// <summary>
    /// Inspections that found a violation (or seized goods) for a product, per province. Floor 0.01: each
    /// is an official finding, so two of one product in one province on one day are an alert at any hour (one is not).
    /// </summary>
    public static readonly AlertKind InspectionViolations = new("inspection_violations", "violations", false, 0.01);

    public static readonly IReadOnlyList<AlertKind> All =
        [UnknownCodes, FarFromShipping, AfterRecall, AfterExpiry, LookupSurge, ComplaintSurge, CloneSerials, InspectionViolations];

    private static readonly Dictionary<string, AlertKind> BySignalName = All.ToDictionary(k => k.Signal, StringComparer.Ordinal);

    public static AlertKind? OfSignal(string signal) => BySignalName.GetValueOrDefault(signal);

    public static bool IsKnown(string name) => All.Any(k => k.Name == name);
}

/// <summary>An alert's state: open → acknowledged → closed (a closed alert carries an outcome).</summary>
public static class AlertStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Open, Acknowledged, Closed];
}

/// <summary>How a closed alert ended.</summary>
public static class AlertOutcomes
{
    public static readonly IReadOnlyList<string> All =
        ["confirmed_counterfeit", "false_alarm", "recalled", "referred_to_inspection"];
}
