namespace Traceability.Storage;

/// <summary>
/// One group of an aggregate: the province name as the records carry it (null when they carry none;
/// the report maps it to a current province), a second dimension (a day, a category, a result, or
/// a counter's name) and how many records fall into it.
/// </summary>
public sealed record StatGroup(string? Province, string Key, long Count);

/// <summary>
/// The aggregates of the periodic report for one period [From, To): every list is grouped by the
/// stored province text and one key, so its size depends on the number of provinces, days and
/// categories, never on the number of records. Keys are listed with each property.
/// </summary>
public sealed record StoreStatistics
{
    /// <summary>Producers by their province. Keys: <c>registered</c> (in the period), <c>total</c> (registered before To), <c>active</c> (captured an event in the period), <c>suspended</c> (now).</summary>
    public IReadOnlyList<StatGroup> Producers { get; init; } = [];
    /// <summary>By the owning producer's province. Keys: <c>products</c>, <c>lots</c> (registered in the period), <c>events</c> (captured in the period).</summary>
    public IReadOnlyList<StatGroup> Catalog { get; init; } = [];
    /// <summary>Consumer scans of registered codes by the scan's province. Key: the Vietnam day (yyyy-MM-dd).</summary>
    public IReadOnlyList<StatGroup> ScansByDay { get; init; } = [];
    /// <summary>Consumer scans of codes that are not registered, by the scan's province. Key: the Vietnam day (yyyy-MM-dd).</summary>
    public IReadOnlyList<StatGroup> UnknownScans { get; init; } = [];
    /// <summary>Recalls by the recalled product's producer's province. Keys: <c>issued</c>, <c>ended</c> (in the period).</summary>
    public IReadOnlyList<StatGroup> Recalls { get; init; } = [];
    /// <summary>Complaints received in the period, by the named lot's producer's province (null without a registered lot). Key: <c>{category}|{status}</c>.</summary>
    public IReadOnlyList<StatGroup> Complaints { get; init; } = [];
    /// <summary>Complaints decided (resolved or rejected), received in the period: key = days from receipt to the last change, to 0.01 day (a histogram, for the median).</summary>
    public IReadOnlyList<StatGroup> ComplaintDaysToClose { get; init; } = [];
    /// <summary>Inspections made in the period, by the inspected lot's producer's province (null without a registered lot). Key: the result.</summary>
    public IReadOnlyList<StatGroup> Inspections { get; init; } = [];
    /// <summary>Inspections made in the period whose outcome staff published (now), by the same province. Key: <c>published</c>.</summary>
    public IReadOnlyList<StatGroup> PublishedInspections { get; init; } = [];
    /// <summary>
    /// Outbox rows (products, lots, events, recalls to push to the portal) created in the period, by
    /// their state now; Province is null (the whole service: a row carries no province). Keys: the
    /// <see cref="OutboxState"/> names (Pending, InFlight, Synced, Failed).
    /// </summary>
    public IReadOnlyList<StatGroup> Sync { get; init; } = [];
}

public interface IStatisticsStore
{
    /// <summary>The report's aggregates over [<paramref name="from"/>, <paramref name="to"/>), computed by the store (never by reading the records out).</summary>
    Task<StoreStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default);
}
