namespace Traceability.ProducerConsole.Dashboard;

/// <summary>How many of the producer's products, lots and this month's events the national portal holds, waits for, refused or blocks.</summary>
public sealed record SyncCounts(int Sent, int Waiting, int Refused, int Blocked);

/// <summary>Consumer complaints about the producer's products by triage state: counts only (the authority holds the contents and contacts).</summary>
public sealed record ComplaintCounts(int New, int InReview, int Resolved, int Rejected)
{
    public int Open => New + InReview;
}

/// <summary>The console's home dashboard numbers for one producer.</summary>
public sealed record ProducerFigures(
    int LotsThisMonth, int EventsThisMonth, bool EventsCapped, SyncCounts Sync, int ScansThisWeek, ComplaintCounts Complaints,
    IReadOnlyList<Lot> Expiring)
{
    /// <summary>Lots whose expiry falls within this many days (today included) are listed as expiring.</summary>
    public const int ExpiringDays = 30;

    /// <summary>Bounds that keep the page's cost fixed for a very large producer; the page says "or more" when the first is reached.</summary>
    public const int MaxEventsCounted = 100_000, MaxLots = 10_000, MaxReportsRead = 5_000;

    /// <summary>
    /// Reads the numbers from the stores: "this month" is the calendar month in Vietnam (UTC+7), by a
    /// lot's registration and an event's time; "this week" the last 7 days. Complaints are matched to the
    /// producer by the GTIN their code names, among the newest <see cref="MaxReportsRead"/>.
    /// </summary>
    public static async Task<ProducerFigures> ReadAsync(string producerId, ICatalogStore catalog, IEventStore events, IOutboxStore outbox,
        IScanStore scans, IReportStore reports, DateTimeOffset now, CancellationToken ct)
    {
        var today = VietnamTime.Today(now);
        var monthStart = new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, VietnamTime.Offset);
        var lots = await catalog.ListLotsAsync(producerId, MaxLots, ct);
        var products = await catalog.ListProductsAsync(producerId, ct);

        var eventIds = new List<string>();
        string? token = null;
        do
        {
            var page = await events.QueryEventsAsync(new EventQuery
            {
                ProducerId = producerId, GeEventTime = monthStart, LtEventTime = monthStart.AddMonths(1), PerPage = 1000, PageToken = token,
            }, ct);
            eventIds.AddRange(page.Events.Select(e => e.EventId));
            token = page.NextPageToken;
        } while (token is not null && eventIds.Count < MaxEventsCounted);

        var states = new PortalStates(outbox, ct);
        var stages = new List<PortalStage>();
        foreach (var p in products) stages.Add((await states.OfAsync(OutboxKind.Product, p.Gtin)).Stage);
        foreach (var l in lots) stages.Add((await states.OfAsync(OutboxKind.Lot, l.Key)).Stage);
        stages.AddRange((await states.OfEventsAsync(eventIds)).Values.Select(s => s.Stage));
        var sync = new SyncCounts(stages.Count(s => s == PortalStage.Sent), stages.Count(s => s is PortalStage.Waiting or PortalStage.Sending),
            stages.Count(s => s == PortalStage.Refused), stages.Count(s => s == PortalStage.Blocked));

        var scanned = 0;
        foreach (var l in lots) scanned += await ConsumerScans.CountAsync(scans, l.Key, now.AddDays(-7), ct);

        // A complaint is about this producer's goods when its code names one of its GTINs (any lot of it, registered or not).
        var gtins = products.Select(p => p.Gtin).ToHashSet(StringComparer.Ordinal);
        var mine = (await reports.ListReportsAsync(null, MaxReportsRead, ct))
            .Where(r => DigitalLink.TryParse(r.Code, out var link, out _) && gtins.Contains(link.Gtin.Value))
            .Select(r => r.Status).ToList();
        var complaints = new ComplaintCounts(mine.Count(s => s == ReportStatus.New), mine.Count(s => s == ReportStatus.InReview),
            mine.Count(s => s == ReportStatus.Resolved), mine.Count(s => s == ReportStatus.Rejected));

        var expiring = lots.Where(l => l.ExpiryDate is { } e && e >= today && e < today.AddDays(ExpiringDays))
            .OrderBy(l => l.ExpiryDate).ThenBy(l => l.LotNumber, StringComparer.Ordinal).ToList();

        return new ProducerFigures(lots.Count(l => l.CreatedAt >= monthStart), Math.Min(eventIds.Count, MaxEventsCounted),
            eventIds.Count >= MaxEventsCounted, sync, scanned, complaints, expiring);
    }
}
