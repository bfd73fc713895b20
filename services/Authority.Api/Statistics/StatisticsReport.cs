namespace Traceability.Authority.Api.Statistics;

/// <summary>
/// The periodic report (issue 18 point 7): what <c>GET /api/v1/statistics</c> answers and what the
/// page, the XLSX and the PDF show. Days are Vietnam days; provinces are the 34 in force, records
/// under a pre-merger name counted under the province that contains it (null = none or unknown).
/// </summary>
public sealed record StatisticsReport(
    string From, string To, string? Province, DateTimeOffset GeneratedAt,
    ProducerFigures Producers, CatalogFigures Catalog, SyncFigures Sync, ScanFigures Scans,
    RecallFigures Recalls, ComplaintFigures Complaints, InspectionFigures Inspections);

/// <param name="Registered">Registered in the period.</param>
/// <param name="Total">Registered by the end of the period.</param>
/// <param name="Active">Captured at least one event in the period.</param>
/// <param name="Suspended">Suspended now.</param>
public sealed record ProducerFigures(long Registered, long Total, long Active, long Suspended);

/// <summary>Products and lots registered, events captured, in the period.</summary>
public sealed record CatalogFigures(long Products, long Lots, long Events);

/// <summary>
/// Portal sync of the rows (products, lots, events, recalls) created in the period, by their state
/// now, for the whole service (a row has no province); the oldest pending row's age is now's.
/// </summary>
public sealed record SyncFigures(long Synced, long Failed, long Pending, double OldestPendingSeconds);

/// <summary>Consumer scans (inspectors', producers' and staff's are not counted); <c>UnknownCode</c> is the part of <c>Total</c> whose code is not registered.</summary>
public sealed record ScanFigures(long Total, long UnknownCode, IReadOnlyList<DayCount> ByDay, IReadOnlyList<ProvinceCount> ByProvince);

public sealed record DayCount(string Day, long Count);

public sealed record ProvinceCount(string? Province, long Count);

public sealed record NamedCount(string Name, long Count);

/// <summary>Recalls issued, and ended, in the period.</summary>
public sealed record RecallFigures(long Issued, long Ended);

/// <summary>Complaints received in the period; the median counts the decided ones (resolved or rejected), from receipt to the decision, in days.</summary>
public sealed record ComplaintFigures(long Total, IReadOnlyList<NamedCount> ByCategory, IReadOnlyList<NamedCount> ByStatus, double? MedianDaysToResolve);

/// <summary>Inspections made in the period; <c>PublishedOutcomes</c>: those of them whose outcome staff published.</summary>
public sealed record InspectionFigures(long Total, IReadOnlyList<NamedCount> ByResult, long? PublishedOutcomes);

/// <summary>Builds the report from the store's aggregates: maps provinces, filters to one, sums.</summary>
public sealed class StatisticsService(IStatisticsStore statistics, IOutboxStore outbox, TimeProvider time)
{
    public async Task<StatisticsReport> BuildAsync(StatisticsPeriod period, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var data = await statistics.GetStatisticsAsync(period.Start, period.End, ct);
        var status = await outbox.GetStatusAsync(now, ct);

        // Every group's province is the current one containing it; with a province chosen, only its groups count.
        List<(string? Province, string Key, long Count)> Map(IReadOnlyList<StatGroup> groups) =>
            [.. groups.Select(g => (ProvinceMap.CurrentOf(g.Province), g.Key, g.Count))
                .Where(g => period.Province is null || g.Item1 == period.Province)];
        static long Sum(IEnumerable<(string? Province, string Key, long Count)> groups, string key) =>
            groups.Where(g => g.Key == key).Sum(g => g.Count);

        var producers = Map(data.Producers);
        var catalog = Map(data.Catalog);
        var known = Map(data.ScansByDay);
        var unknown = Map(data.UnknownScans);
        var scans = known.Concat(unknown).ToList();
        var recalls = Map(data.Recalls);
        var complaints = Map(data.Complaints).Select(g => (Category: g.Key.Split('|')[0], Status: g.Key.Split('|')[^1], g.Count)).ToList();
        var inspections = Map(data.Inspections);
        long Sync(string state) => data.Sync.Where(g => g.Key == state).Sum(g => g.Count);

        return new StatisticsReport(
            Text(period.From), Text(period.To), period.Province, now.ToOffset(VietnamTime.Offset),
            new ProducerFigures(Sum(producers, "registered"), Sum(producers, "total"), Sum(producers, "active"), Sum(producers, "suspended")),
            new CatalogFigures(Sum(catalog, "products"), Sum(catalog, "lots"), Sum(catalog, "events")),
            new SyncFigures(Sync(nameof(OutboxState.Synced)), Sync(nameof(OutboxState.Failed)),
                Sync(nameof(OutboxState.Pending)) + Sync(nameof(OutboxState.InFlight)), Math.Round(status.OldestPendingSeconds, 1)),
            new ScanFigures(scans.Sum(g => g.Count), unknown.Sum(g => g.Count),
                [.. scans.GroupBy(g => g.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new DayCount(g.Key, g.Sum(x => x.Count)))],
                [.. scans.GroupBy(g => g.Province).Select(g => new ProvinceCount(g.Key, g.Sum(x => x.Count)))
                    .OrderByDescending(p => p.Count).ThenBy(p => p.Province is null).ThenBy(p => p.Province, StringComparer.Ordinal)]),
            new RecallFigures(Sum(recalls, "issued"), Sum(recalls, "ended")),
            new ComplaintFigures(complaints.Sum(c => c.Count),
                Named(complaints.Select(c => (c.Category, c.Count))), Named(complaints.Select(c => (c.Status, c.Count))),
                Median(Map(data.ComplaintDaysToClose))),
            new InspectionFigures(inspections.Sum(g => g.Count), Named(inspections.Select(g => (g.Key, g.Count))),
                Map(data.PublishedInspections).Sum(g => g.Count)));
    }

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<NamedCount> Named(IEnumerable<(string Name, long Count)> groups) =>
        [.. groups.GroupBy(g => g.Name).Select(g => new NamedCount(g.Key, g.Sum(x => x.Count)))
            .OrderByDescending(n => n.Count).ThenBy(n => n.Name, StringComparer.Ordinal)];

    /// <summary>The median of a histogram of days (value, count): the middle value, or the mean of the two middle ones.</summary>
    internal static double? Median(IEnumerable<(string? Province, string Key, long Count)> histogram)
    {
        var values = histogram.Select(h => (Days: double.Parse(h.Key, CultureInfo.InvariantCulture), h.Count))
            .GroupBy(h => h.Days).Select(g => (Days: g.Key, Count: g.Sum(x => x.Count))).OrderBy(h => h.Days).ToList();
        var n = values.Sum(v => v.Count);
        if (n == 0) return null;
        double At(long index) // the index-th value (0-based) in sorted order
        {
            foreach (var (days, count) in values)
            {
                if (index < count) return days;
                index -= count;
            }
            throw new InvalidOperationException("index beyond the histogram");
        }
        var median = n % 2 == 1 ? At(n / 2) : (At(n / 2 - 1) + At(n / 2)) / 2;
        return Math.Round(median, 2);
    }
}
