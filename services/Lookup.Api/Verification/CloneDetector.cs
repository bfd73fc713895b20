using System.Globalization;
using Traceability.Lookup.Api.Provenance;
using Traceability.Storage;

namespace Traceability.Lookup.Api.Verification;

/// <summary>
/// Clone signals of one serialised code from its scan log (pure): scanned more than
/// MaxScansPerSerial times; two consecutive located scans further apart than MaxTravelKmh allows
/// (plus TravelToleranceKm for coarse province centres); scanned after its lot's expiry date
/// (Vietnam time) or after a recall was issued.
/// </summary>
public static class CloneDetector
{
    public static IReadOnlyList<VerifyReason> Signals(IReadOnlyList<ScanRecord> scans, VerifyOptions options,
        DateOnly? expiry, DateTimeOffset? recalledAt)
    {
        var reasons = new List<VerifyReason>();
        if (scans.Count > options.MaxScansPerSerial)
            reasons.Add(new(ReasonCodes.TooManyScans,
                $"This serial has been looked up {scans.Count} times (more than {options.MaxScansPerSerial}): copies of one label may be in circulation."));

        (ScanRecord Scan, (string Name, double Lat, double Lon) Place)? previous = null;
        foreach (var scan in scans.OrderBy(s => s.Time))
        {
            if (Provinces.Find(scan.Province) is not { } place) continue;
            if (previous is { } p && p.Place.Name != place.Name)
            {
                var km = Provinces.DistanceKm(p.Place.Lat, p.Place.Lon, place.Lat, place.Lon);
                var hours = Math.Max(0, (scan.Time - p.Scan.Time).TotalHours);
                if (km > options.MaxTravelKmh * hours + options.TravelToleranceKm)
                {
                    reasons.Add(new(ReasonCodes.ImpossibleTravel, string.Create(CultureInfo.InvariantCulture,
                        $"Scanned in {p.Place.Name} and {place.Name} ({km:0} km apart) within {hours * 60:0} minutes: faster than {options.MaxTravelKmh:0} km/h, so there are at least two copies.")));
                    break;
                }
            }
            previous = (scan, place);
        }

        if (expiry is { } e && scans.FirstOrDefault(s => ExpiryStatusSource.TodayInVietnam(s.Time) > e) is { } late)
            reasons.Add(new(ReasonCodes.ScannedAfterExpiry, string.Create(CultureInfo.InvariantCulture,
                $"Scanned on {ExpiryStatusSource.TodayInVietnam(late.Time):yyyy-MM-dd}, after the lot expired on {e:yyyy-MM-dd}: still on sale.")));
        if (recalledAt is { } r && scans.FirstOrDefault(s => s.Time >= r) is { } afterRecall)
            reasons.Add(new(ReasonCodes.ScannedAfterRecall, string.Create(CultureInfo.InvariantCulture,
                $"Scanned at {afterRecall.Time:yyyy-MM-dd HH:mm} UTC, after the recall of {r:yyyy-MM-dd HH:mm} UTC: still on sale.")));
        return reasons;
    }
}
