using Traceability.Lookup.Api.Scans;
using Traceability.Lookup.Api.Verification;

namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>
/// The early-warning engine. It learns from scans as the scan log writes them (<see cref="IScanObserver"/>),
/// from complaints and from inspections as they are stored: each adds to durable counters per
/// (signal, GTIN, lot, province, Vietnam day) in <see cref="IEarlyWarningStore"/>, then only the
/// touched cells are scored against their own history (<see cref="Scoring"/>); a cell at or above
/// <c>EarlyWarning:Threshold</c> becomes an alert, deduplicated by (kind, subject, province, day) and
/// updated as its count grows. Nothing is kept only in memory but caches, so a restart loses nothing.
/// </summary>
public sealed partial class EarlyWarningEngine(
    IEarlyWarningStore store, IScanStore scans, CaseFacts facts, IOptions<EarlyWarningOptions> options,
    IOptions<VerifyOptions> verify, AlertWebhook webhook, AuthorityTelemetry telemetry, TimeProvider time, ILogger<EarlyWarningEngine> logger,
    CaseHistories histories, CaseReview review) : IScanObserver
{
    private const int MaxCachedKeys = 200_000;
    // A scan's lot key taken apart once (the GTIN and lot strings are then shared by every scan of that lot).
    private readonly BoundedCache<string, (bool Ok, string Gtin, string Lot)> _keys = new(MaxCachedKeys, StringComparer.Ordinal);
    private readonly BoundedCache<string, string> _provinces = new(MaxCachedKeys, StringComparer.Ordinal);
    // Per kind, the smallest day's count that can reach the threshold at all (see CanPass).
    private readonly Dictionary<string, long> _minCounts = AlertKinds.All.ToDictionary(k => k.Signal, k => MinCount(k, options.Value.Threshold), StringComparer.Ordinal);

    public async Task ObserveAsync(IReadOnlyList<ScanRecord> batch, CancellationToken ct)
    {
        var cells = new Cells();
        var serials = new Dictionary<string, (string Gtin, string Lot, DateOnly Day, DateTimeOffset Since)>(StringComparer.Ordinal);
        foreach (var scan in batch)
        {
            if (!SplitCached(scan.LotKey, out var gtin, out var lot)) continue;
            var province = CurrentProvince(scan.Province);
            var day = VietnamTime.Today(scan.Time);
            if (scan.Unknown)
            {
                // A producer testing its own labels is not a counterfeit; an invented code under an unregistered GTIN is nobody's product.
                if (scan.Source == ScanSources.Producer || await facts.ProducerOfAsync(gtin, ct) is null) continue;
                cells.Add(AlertKinds.UnknownCodes, gtin, "", province, day);
                continue;
            }
            if (scan.SerialKey is { } serialKey && (scan.Source == ScanSources.Consumer || scan.Attested) && lot.Length > 0)
                serials[serialKey] = serials.TryGetValue(serialKey, out var seen) && seen.Since <= scan.Time ? seen : (gtin, lot, day, scan.Time);
            if (scan.Source != ScanSources.Consumer) continue;
            cells.Add(AlertKinds.LookupSurge, gtin, "", province, day);
            if (lot.Length == 0 || await facts.LotAsync(scan.LotKey, gtin, lot, ct) is not { } known) continue;
            if (known.RecalledAt is { } recalled && scan.Time >= recalled) cells.Add(AlertKinds.AfterRecall, gtin, lot, province, day);
            else if (known.Expiry is { } expiry && day > expiry) cells.Add(AlertKinds.AfterExpiry, gtin, lot, province, day);
            if (province.Length > 0 && known.ShippedTo.Count > 0 && !known.Expected.Contains(province))
                cells.Add(AlertKinds.FarFromShipping, gtin, lot, province, day);
        }
        foreach (var (serialKey, s) in serials)
        {
            if (await NewlyClonedAsync(serialKey, s.Since, ct)) cells.Add(AlertKinds.CloneSerials, s.Gtin, s.Lot, "", s.Day);
        }
        await RecordAsync(cells, ct);
    }

    /// <summary>Counts a stored complaint about a registered product (its lot is not needed: surges are per product).</summary>
    public async Task ObserveComplaintAsync(ConsumerReport report, CancellationToken ct)
    {
        var gtin = report.LotKey is { } key && TrySplit(key, out var g, out _) ? g
            : report.Code is not null && DigitalLink.TryParse(report.Code, out var link, out _) ? link.Gtin.Value : null;
        if (gtin is null) return;
        await GuardAsync(async () =>
        {
            if (await facts.ProducerOfAsync(gtin, ct) is null) return;
            var cells = new Cells();
            cells.Add(AlertKinds.ComplaintSurge, gtin, "", "", VietnamTime.Today(report.CreatedAt));
            await RecordAsync(cells, ct);
        }, "complaint");
    }

    /// <summary>Counts a stored inspection that found a violation or seized goods, in the province of its GPS position.</summary>
    public async Task ObserveInspectionAsync(Inspection inspection, CancellationToken ct)
    {
        if (inspection.Result is not (InspectionResults.Violation or InspectionResults.Seized)) return;
        var gtin = inspection.LotKey is { } key && TrySplit(key, out var g, out _) ? g
            : ScannedCode.TryParse(inspection.Code, out var code, out _) ? code.Gtin.Value : null;
        if (gtin is null) return;
        var province = inspection is { Latitude: { } lat, Longitude: { } lon } ? ProvinceMap.CurrentOf(Provinces.Nearest(lat, lon).Name) ?? "" : "";
        await GuardAsync(async () =>
        {
            if (await facts.ProducerOfAsync(gtin, ct) is null) return;
            var cells = new Cells();
            cells.Add(AlertKinds.InspectionViolations, gtin, "", province, VietnamTime.Today(inspection.InspectedAt));
            await RecordAsync(cells, ct);
        }, "inspection");
    }

    /// <summary>
    /// Whether the serial shows a clone pattern (CloneDetector's rule: distinct consumer clients,
    /// impossible travel between attested places) now and did not before this batch's scans.
    /// </summary>
    private async Task<bool> NewlyClonedAsync(string serialKey, DateTimeOffset batchStart, CancellationToken ct)
    {
        var o = verify.Value;
        var history = await scans.GetScansAsync(serialKey, time.GetUtcNow().AddDays(-o.ScanWindowDays), ct);
        static bool Cloned(IReadOnlyList<Finding> findings) =>
            findings.Any(f => f.Code is ReasonCodes.TooManyScans or ReasonCodes.ImpossibleTravel);
        if (!Cloned(CloneDetector.Signals(history, o, null, null))) return false;
        // Store times are kept to the millisecond: "before" is strictly before the batch's first scan of it.
        var before = history.Where(s => s.Time < batchStart.AddMilliseconds(-1)).ToList();
        return !Cloned(CloneDetector.Signals(before, o, null, null));
    }

    private async Task RecordAsync(Cells cells, CancellationToken ct)
    {
        if (cells.Count == 0) return;
        // One transaction for the whole batch's cells (the store adds each increment and returns the totals).
        var totals = await store.AddSignalCountsAsync(cells.ToList(), ct);
        foreach (var cell in totals)
        {
            if (AlertKinds.OfSignal(cell.Signal) is not { } kind || !CanPass(kind, cell.Count)) continue;
            var (history, active, _) = await histories.OfAsync(cell.Signal, cell.Gtin, cell.Lot, cell.Province, cell.Day, ct);
            var fraction = Scoring.DayFraction(time.GetUtcNow(), cell.Day);
            if (Scoring.Score(kind, cell.Count, history, active, dayFraction: fraction).Score < options.Value.Threshold) continue;
            // Passed on its own history: the second look (similar products, a surge's corroboration) decides.
            var (quoted, scored) = await review.RescoreAsync(kind, cell, history, active, fraction, ct);
            if (scored.Score < options.Value.Threshold) continue;
            await RaiseAsync(kind, cell, quoted, scored, ct);
        }
    }

    private async Task RaiseAsync(AlertKind kind, SignalCount cell, History history, Scored scored, CancellationToken ct)
    {
        var detail = kind == AlertKinds.FarFromShipping && await facts.LotAsync(cell.Gtin, cell.Lot, ct) is { } lot
            ? string.Join(", ", lot.ShippedTo.Order(StringComparer.Ordinal))
            : scored.Z is { } z ? z.ToString("0.0", CultureInfo.InvariantCulture) : null;
        var reason = AlertTexts.Reason(kind, cell.Count, cell.Gtin, cell.Lot, cell.Province, cell.Day, history, detail, scored);
        var subject = kind.LotLevel ? LotKey.Of(cell.Gtin, cell.Lot) : ScanRecord.ProductKey(cell.Gtin);
        var now = time.GetUtcNow();
        var alert = new EarlyAlert(AlertId(kind.Name, subject, cell.Province, cell.Day), kind.Name, subject, cell.Gtin, cell.Lot,
            cell.Province, cell.Day, await facts.ProducerOfAsync(cell.Gtin, ct), Math.Round(scored.Score, 2), cell.Count,
            Math.Round(scored.Baseline, 3), reason.Vi, reason.En, now, now);
        // With a webhook, the same write marks the alert for it (durably: the push outlives a restart).
        var (_, created) = await store.UpsertEarlyAlertAsync(alert, webhook.Enabled ? options.Value.Threshold : null, ct);
        webhook.Poke();
        if (created)
        {
            telemetry.Alerts.Add(1, new KeyValuePair<string, object?>("kind", kind.Name));
            LogAlert(logger, kind.Name, subject, cell.Province, alert.Score);
        }
    }

    /// <summary>A complaint or an inspection is stored already: a failure to count it is logged, never the caller's failure.</summary>
    private async Task GuardAsync(Func<Task> work, string what)
    {
        try
        {
            await work();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCountFailed(logger, what, ex);
        }
    }

    /// <summary>
    /// Whether a day's count can make an alert at all. The score never exceeds the Poisson surprise
    /// of the count against the kind's floor (times the least day fraction): λ is never below that, the tail P(X ≥ k | λ) only
    /// grows with λ, and a surge's score is the smaller of that surprise and its z. So a cell below
    /// its kind's smallest passing count (a few unknown codes, 9 lookups at the default threshold) needs
    /// neither its history read nor a score: on ordinary traffic that is almost every cell.
    /// </summary>
    private bool CanPass(AlertKind kind, long count) => count >= _minCounts.GetValueOrDefault(kind.Signal, 1);

    /// <summary>
    /// The smallest day's count of <paramref name="kind"/> whose score can reach <paramref name="threshold"/>:
    /// against the floor, scaled for a rare-event kind by the least part of the day it is scored over
    /// (<see cref="Scoring.MinDayFraction"/>: early in the day the same count is more surprising).
    /// </summary>
    public static long MinCount(AlertKind kind, double threshold)
    {
        var lambda = kind.Floor * (kind.Surge ? 1 : Scoring.MinDayFraction);
        for (long k = 1; k < 100_000; k++)
            if (Scoring.PoissonSurprise(k, lambda) >= threshold) return k;
        return 1;
    }

    /// <summary>The current province of a scan's place (names repeat: normalising one is done once), "" when unknown.</summary>
    private string CurrentProvince(string? name)
    {
        if (name is null) return "";
        if (_provinces.TryGetValue(name, out var current)) return current;
        current = ProvinceMap.CurrentOf(name) ?? "";
        _provinces.Set(name, current);
        return current;
    }

    private bool SplitCached(string key, out string gtin, out string lot)
    {
        if (!_keys.TryGetValue(key, out var split))
        {
            split = (TrySplit(key, out var g, out var l), g, l);
            _keys.Set(key, split);
        }
        (gtin, lot) = (split.Gtin, split.Lot);
        return split.Ok;
    }

    /// <summary>The GTIN and lot (empty for a product-level key <c>01/{gtin14}</c>) of a scan's key.</summary>
    private static bool TrySplit(string key, out string gtin, out string lot)
    {
        if (LotKey.TryParse(key, out gtin, out lot)) return true;
        lot = "";
        gtin = key.Length == 17 && key.StartsWith("01/", StringComparison.Ordinal) ? key[3..] : "";
        return gtin.Length == 14 && gtin.All(char.IsAsciiDigit);
    }

    /// <summary>One alert per (kind, subject, province, day): the case's evidence grows in it.</summary>
    public static string AlertId(string kind, string subject, string province, DateOnly day) =>
        "ew-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{kind}|{subject}|{province}|{day:yyyy-MM-dd}"))))[..16];

    /// <summary>Increments of one batch, one per cell.</summary>
    private sealed class Cells
    {
        private readonly Dictionary<(string, string, string, string, DateOnly), long> _counts = [];

        public int Count => _counts.Count;

        public void Add(AlertKind kind, string gtin, string lot, string province, DateOnly day)
        {
            var key = (kind.Signal, gtin, lot, province, day);
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }

        public List<SignalCount> ToList() =>
            [.. _counts.Select(c => new SignalCount(c.Key.Item1, c.Key.Item2, c.Key.Item3, c.Key.Item4, c.Key.Item5, c.Value))];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Early warning: {Kind} alert for {Subject} in {Province} (score {Score})")]
    private static partial void LogAlert(ILogger logger, string kind, string subject, string province, double score);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Early warning could not count a {What}")]
    private static partial void LogCountFailed(ILogger logger, string what, Exception exception);
}
