using System.ComponentModel.DataAnnotations;

namespace Traceability.Lookup.Api.Verification;

/// <summary>Configuration section "Verify" (verification, clone detection, label signing).</summary>
public sealed class VerifyOptions
{
    public const string Section = "Verify";

    /// <summary>A serial looked up more often than this is suspicious (DESIGN §4.5).</summary>
    [Range(1, 1_000_000)]
    public int MaxScansPerSerial { get; set; } = 20;

    /// <summary>How far back the scan log is read for clone signals.</summary>
    [Range(1, 3650)]
    public int ScanWindowDays { get; set; } = 365;

    /// <summary>
    /// Fastest plausible travel of a package between two scans (road transport; goods do not fly
    /// in the normal course of retail). Two scans further apart than this allows are suspicious.
    /// </summary>
    [Range(1, 2000)]
    public double MaxTravelKmh { get; set; } = 100;

    /// <summary>
    /// Distance always allowed between two scans: province centroids are coarse, so neighbouring
    /// provinces' centroids can be this far apart for a package that crossed a border.
    /// </summary>
    [Range(0, 1000)]
    public double TravelToleranceKm { get; set; } = 60;

    /// <summary>Labels issued in one request (POST /api/v1/lots/{gtin}/{lot}/serials).</summary>
    [Range(1, 100_000)]
    public int MaxSerialsPerRequest { get; set; } = 10_000;

    /// <summary>The active signing key is replaced by a new one when it is older than this.</summary>
    [Range(1, 3650)]
    public int SigningKeyRotationDays { get; set; } = 180;
}
