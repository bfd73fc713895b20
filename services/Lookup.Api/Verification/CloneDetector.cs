namespace Traceability.Lookup.Api.Verification;

/// <summary>
/// Clone signals of one issued serial from its scan log (pure), built so that an outsider cannot
/// forge them: too_many_scans counts distinct consumer clients (pseudonyms), not requests, and
/// never inspectors' or producers' own scans; impossible_travel compares only attested places
/// (authenticated verifies with GPS or a chosen province), never a province an anonymous request
/// claimed. Also reported: scanned after the lot's expiry (Vietnam time) or after a recall.
/// </summary>
public static class CloneDetector
{
    public static IReadOnlyList<Finding> Signals(IReadOnlyList<ScanRecord> scans, VerifyOptions options,
        DateOnly? expiry, DateTimeOffset? recalledAt)
    {
        var reasons = new List<Finding>();
        var clients = DistinctConsumerClients(scans);
        if (clients > options.MaxScansPerSerial)
            reasons.Add(new(ReasonCodes.TooManyScans, new(
                $"Số sê-ri này đã được {clients} thiết bị khác nhau tra cứu (nhiều hơn {options.MaxScansPerSerial}): có thể đang lưu hành nhiều bản sao của một nhãn.",
                $"This serial has been looked up by {clients} different clients (more than {options.MaxScansPerSerial}): copies of one label may be in circulation.")));

        (ScanRecord Scan, (string Name, double Lat, double Lon) Place)? previous = null;
        foreach (var scan in scans.Where(s => s.Attested).OrderBy(s => s.Time))
        {
            if (Provinces.Find(scan.Province) is not { } place) continue;
            if (previous is { } p && p.Place.Name != place.Name)
            {
                var km = Provinces.DistanceKm(p.Place.Lat, p.Place.Lon, place.Lat, place.Lon);
                var hours = Math.Max(0, (scan.Time - p.Scan.Time).TotalHours);
                if (km > options.MaxTravelKmh * hours + options.TravelToleranceKm)
                {
                    reasons.Add(new(ReasonCodes.ImpossibleTravel, new(
                        string.Create(CultureInfo.InvariantCulture,
                            $"Được kiểm tra tại {p.Place.Name} và {place.Name} (cách nhau {km:0} km) trong vòng {hours * 60:0} phút: nhanh hơn {options.MaxTravelKmh:0} km/h, nên có ít nhất hai bản sao."),
                        string.Create(CultureInfo.InvariantCulture,
                            $"Checked in {p.Place.Name} and {place.Name} ({km:0} km apart) within {hours * 60:0} minutes: faster than {options.MaxTravelKmh:0} km/h, so there are at least two copies."))));
                    break;
                }
            }
            previous = (scan, place);
        }

        if (expiry is { } e && scans.FirstOrDefault(s => ExpiryStatusSource.TodayInVietnam(s.Time) > e) is { } late)
            reasons.Add(new(ReasonCodes.ScannedAfterExpiry, new(
                $"Được quét ngày {VerdictRules.VnDate(late.Time)}, sau khi lô hết hạn ngày {VerdictRules.VnDate(e)}: vẫn đang được bày bán.",
                string.Create(CultureInfo.InvariantCulture,
                    $"Scanned on {ExpiryStatusSource.TodayInVietnam(late.Time):yyyy-MM-dd}, after the lot expired on {e:yyyy-MM-dd}: still on sale."))));
        if (recalledAt is { } r && scans.FirstOrDefault(s => s.Time >= r) is { } afterRecall)
            reasons.Add(new(ReasonCodes.ScannedAfterRecall, new(
                $"Được quét ngày {VerdictRules.VnDate(afterRecall.Time)}, sau khi lô bị thu hồi ngày {VerdictRules.VnDate(r)}: vẫn đang được bày bán.",
                string.Create(CultureInfo.InvariantCulture,
                    $"Scanned at {afterRecall.Time:yyyy-MM-dd HH:mm} UTC, after the recall of {r:yyyy-MM-dd HH:mm} UTC: still on sale."))));
        return reasons;
    }

    /// <summary>Consumer scans by distinct client; a scan without a pseudonym (written before they existed) counts alone.</summary>
    public static int DistinctConsumerClients(IEnumerable<ScanRecord> scans)
    {
        var consumer = scans.Where(s => s.Source == ScanSources.Consumer).ToList();
        return consumer.Where(s => s.Client is not null).Select(s => s.Client).Distinct(StringComparer.Ordinal).Count()
            + consumer.Count(s => s.Client is null);
    }
}
