using Traceability.Domain.EarlyWarning;

namespace Traceability.Storage;

/// <summary>
/// One durable early-warning counter cell: how many times <paramref name="Signal"/> was seen for a
/// product (<paramref name="Lot"/> empty: the product as a whole) in a province (empty: no place
/// known) on a Vietnam day. Counters are only ever incremented as scans, complaints and inspections
/// arrive, so scoring reads a few cells instead of rescanning the scan log.
/// </summary>
public sealed record SignalCount(string Signal, string Gtin, string Lot, string Province, DateOnly Day, long Count);

/// <summary>How both providers store a counter's or an alert's Vietnam day: <c>yyyy-MM-dd</c> text, which sorts and compares as the days do.</summary>
public static class StoredDay
{
    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Parse(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// An early-warning alert: one case (Kind, Subject — a product, lot or serial key — Province, Day)
/// whose score passed the threshold. Evidence (Count, Baseline, Score, the reasons) grows while the
/// case goes on; the life cycle (Status, who acknowledged or closed it, Outcome) is the staff's.
/// ProducerId is the product's owner (the producer sees its own alerts). Reasons are stored in both
/// languages with the numbers of the moment they were scored.
/// </summary>
public sealed record EarlyAlert(
    string Id, string Kind, string Subject, string Gtin, string Lot, string Province, DateOnly Day, string? ProducerId,
    double Score, long Count, double Baseline, string ReasonVi, string ReasonEn,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string Status = AlertStatuses.Open,
    string? AcknowledgedBy = null, DateTimeOffset? AcknowledgedAt = null,
    string? ClosedBy = null, DateTimeOffset? ClosedAt = null, string? Outcome = null);

/// <summary>An alert waiting for its webhook push (the outbox marker): due since <paramref name="Due"/>, after <paramref name="Attempts"/> failed rounds.</summary>
public sealed record EarlyAlertPush(EarlyAlert Alert, DateTimeOffset Due, int Attempts);

/// <summary>Which alerts to list: every filter that is set must match; ranked by score (highest first), then id.</summary>
public sealed record EarlyAlertQuery(
    string? Status = null, string? Kind = null, string? Province = null, string? ProducerId = null, int Offset = 0, int Limit = 50);

public interface IEarlyWarningStore
{
    /// <summary>Adds each increment to its cell (creating it at 0) and returns every touched cell's new total, in one transaction.</summary>
    Task<IReadOnlyList<SignalCount>> AddSignalCountsAsync(IReadOnlyList<SignalCount> increments, CancellationToken ct = default);

    /// <summary>
    /// The cells of one signal and product from <paramref name="from"/> to <paramref name="to"/> (inclusive);
    /// <paramref name="lot"/> or <paramref name="province"/> null = every lot or province.
    /// </summary>
    Task<IReadOnlyList<SignalCount>> GetSignalCountsAsync(string signal, string gtin, string? lot, string? province,
        DateOnly from, DateOnly to, CancellationToken ct = default);

    /// <summary>
    /// Adds the alert, or updates the evidence of the stored one with the same id (Score, Count, Baseline,
    /// reasons, LastSeen) and keeps its FirstSeen and life cycle. Returns the stored alert and whether it is new.
    /// </summary>
    Task<(EarlyAlert Alert, bool Created)> UpsertEarlyAlertAsync(EarlyAlert alert, CancellationToken ct = default) =>
        UpsertEarlyAlertAsync(alert, null, ct);

    /// <summary>
    /// As <see cref="UpsertEarlyAlertAsync(EarlyAlert, CancellationToken)"/>; with <paramref name="pushStep"/>
    /// (a webhook is configured) the same write also marks the alert's push due (the outbox of the
    /// webhook): when it is new, or when no push is pending and its score is at least the last pushed
    /// score (0 if never pushed) plus <paramref name="pushStep"/>.
    /// </summary>
    Task<(EarlyAlert Alert, bool Created)> UpsertEarlyAlertAsync(EarlyAlert alert, double? pushStep, CancellationToken ct);

    /// <summary>The alerts whose push is due at <paramref name="now"/>, the longest waiting first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<EarlyAlertPush>> ListDueEarlyAlertPushesAsync(DateTimeOffset now, int max, CancellationToken ct = default);

    /// <summary>
    /// The push marked at <paramref name="due"/> was delivered with <paramref name="score"/>: it is done,
    /// unless the stored score has meanwhile risen by <paramref name="pushStep"/> more (then it is due
    /// again at <paramref name="now"/>). Nothing happens when the mark changed meanwhile (another host delivered it).
    /// </summary>
    Task MarkEarlyAlertPushedAsync(string id, DateTimeOffset due, double score, double pushStep, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>The push marked at <paramref name="due"/> failed: it is due again at <paramref name="next"/>, one more attempt counted.</summary>
    Task DeferEarlyAlertPushAsync(string id, DateTimeOffset due, DateTimeOffset next, CancellationToken ct = default);

    Task<EarlyAlert?> GetEarlyAlertAsync(string id, CancellationToken ct = default);

    /// <summary>The matching alerts (ranked by score, then id) from Offset, at most Limit, and how many match in all.</summary>
    Task<(IReadOnlyList<EarlyAlert> Items, int Total)> ListEarlyAlertsAsync(EarlyAlertQuery query, CancellationToken ct = default);

    /// <summary>
    /// Saves the life cycle of <paramref name="changed"/> (Status, AcknowledgedBy/At, ClosedBy/At, Outcome)
    /// and its audit entry in one transaction, only while the stored status is still <paramref name="expectedStatus"/>
    /// (two staff changing one alert at once: one wins). False when there is no such alert or it changed meanwhile.
    /// </summary>
    Task<bool> SetEarlyAlertStateAsync(EarlyAlert changed, string expectedStatus, AuditEntry entry, CancellationToken ct = default);
}
