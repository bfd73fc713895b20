using Traceability.Authority.Api.Producers;

namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>A change of an alert's life cycle (PATCH /api/v1/alerts/{id}): acknowledged, or closed with an outcome; an optional note for the audit log.</summary>
public sealed record AlertChange(string? Status, string? Outcome, string? Note);

/// <summary>An alert as staff see it; the reason in both languages, Vietnamese first.</summary>
public sealed record AlertView(
    string Id, string Kind, Text KindName, string Subject, string Gtin, string? Lot, string? Province, DateOnly Day, string? ProducerId,
    double Score, long Count, double Baseline, Text Reason, string Status, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? ClosedBy, DateTimeOffset? ClosedAt, string? Outcome)
{
    public static AlertView Of(EarlyAlert a) => new(a.Id, a.Kind, AlertTexts.KindName(a.Kind), a.Subject, a.Gtin,
        a.Lot.Length == 0 ? null : a.Lot, a.Province.Length == 0 ? null : a.Province, a.Day, a.ProducerId, a.Score, a.Count,
        a.Baseline, new(a.ReasonVi, a.ReasonEn), a.Status, a.FirstSeen, a.LastSeen, a.AcknowledgedBy, a.AcknowledgedAt,
        a.ClosedBy, a.ClosedAt, a.Outcome);
}

/// <summary>
/// An alert as its producer sees it: what, where, when, how sure and how it ended — never who of the
/// staff handled it (and alerts never hold consumers' data: no pseudonyms, no complainants).
/// </summary>
public sealed record ProducerAlertView(
    string Id, string Kind, Text KindName, string Subject, string Gtin, string? Lot, string? Province, DateOnly Day,
    double Score, long Count, Text Reason, string Status, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string? Outcome)
{
    public static ProducerAlertView Of(EarlyAlert a) => new(a.Id, a.Kind, AlertTexts.KindName(a.Kind), a.Subject, a.Gtin,
        a.Lot.Length == 0 ? null : a.Lot, a.Province.Length == 0 ? null : a.Province, a.Day, a.Score, a.Count,
        new(a.ReasonVi, a.ReasonEn), a.Status, a.FirstSeen, a.LastSeen, a.Outcome);
}

public sealed record AlertPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PerPage);

/// <summary>
/// The alerts' read and write side, shared by the API, the workspace and the console: filters
/// (status, kind, province, producer), ranking by score, paging, and the life cycle
/// open → acknowledged → closed (open → closed too), each change audited.
/// </summary>
public sealed class AlertDesk(IEarlyWarningStore store, TimeProvider time)
{
    public const int MaxNote = 1000;

    /// <summary>Validates the list's filters and paging (perPage 1–200, page ≥ 1).</summary>
    public static Outcome<EarlyAlertQuery> Parse(string? status, string? kind, string? province, string? producer, string? perPage, string? page)
    {
        var errors = new ValidationErrors();
        if (status is { Length: > 0 } && !AlertStatuses.All.Contains(status))
            errors.Add("status", $"status is one of: {string.Join(", ", AlertStatuses.All)}.");
        if (kind is { Length: > 0 } && !AlertKinds.IsKnown(kind))
            errors.Add("kind", $"kind is one of: {string.Join(", ", AlertKinds.All.Select(k => k.Name))}.");
        string? named = null;
        if (province is { Length: > 0 } && (named = ProvinceMap.Named(province)) is null)
            errors.Add("province", "Not one of the 34 provinces in force since 1 July 2025.");
        if (producer is { Length: > 200 }) errors.Add("producer", "At most 200 characters.");
        var paging = ProducerDirectory.ParsePage("alerts", perPage, page, null);
        if (!paging.IsOk) foreach (var (field, messages) in paging.Errors!) foreach (var m in messages) errors.Add(field, m);
        if (!errors.IsValid) return Outcome<EarlyAlertQuery>.Invalid(errors);
        var (offset, size) = paging.Value;
        return Outcome<EarlyAlertQuery>.Ok(new EarlyAlertQuery(Blank(status), Blank(kind), named, Blank(producer), offset, size));
    }

    public async Task<AlertPage<AlertView>> ListAsync(EarlyAlertQuery query, CancellationToken ct)
    {
        var (items, total) = await store.ListEarlyAlertsAsync(query, ct);
        return new([.. items.Select(AlertView.Of)], total, query.Offset / query.Limit + 1, query.Limit);
    }

    /// <summary>The producer's own alerts only: its id replaces any producer filter.</summary>
    public async Task<AlertPage<ProducerAlertView>> ListForProducerAsync(string producerId, EarlyAlertQuery query, CancellationToken ct)
    {
        var (items, total) = await store.ListEarlyAlertsAsync(query with { ProducerId = producerId }, ct);
        return new([.. items.Select(ProducerAlertView.Of)], total, query.Offset / query.Limit + 1, query.Limit);
    }

    public async Task<AlertView?> GetAsync(string id, CancellationToken ct) =>
        await store.GetEarlyAlertAsync(id, ct) is { } a ? AlertView.Of(a) : null;

    /// <summary>
    /// Acknowledges or closes the alert. A move the life cycle does not allow, or a close without a
    /// known outcome, is a 400 naming the field; a change that raced another one is a 409.
    /// </summary>
    public async Task<Outcome<AlertView>> ChangeAsync(ClaimsPrincipal user, string id, AlertChange change, CancellationToken ct)
    {
        var alert = await store.GetEarlyAlertAsync(id, ct);
        if (alert is null) return Outcome<AlertView>.NotFound($"There is no alert '{id}'.");
        var errors = new ValidationErrors();
        var status = change.Status?.Trim();
        var outcome = change.Outcome?.Trim();
        if (string.IsNullOrEmpty(status)) errors.Add("status", "status is acknowledged or closed.");
        else if (status is not (AlertStatuses.Acknowledged or AlertStatuses.Closed))
            errors.Add("status", "status is acknowledged or closed.");
        else if (alert.Status == AlertStatuses.Closed)
            errors.Add("status", "The alert is closed already.");
        else if (status == alert.Status)
            errors.Add("status", $"The alert is {status} already.");
        if (status == AlertStatuses.Closed && (string.IsNullOrEmpty(outcome) || !AlertOutcomes.All.Contains(outcome)))
            errors.Add("outcome", $"Closing needs an outcome: {string.Join(", ", AlertOutcomes.All)}.");
        else if (status != AlertStatuses.Closed && !string.IsNullOrEmpty(outcome))
            errors.Add("outcome", "Only a closed alert has an outcome.");
        if (change.Note?.Length > MaxNote) errors.Add("note", $"At most {MaxNote} characters are allowed.");
        if (!errors.IsValid) return Outcome<AlertView>.Invalid(errors);

        var now = time.GetUtcNow();
        var actor = StaffAudit.Actor(user);
        var changed = status == AlertStatuses.Acknowledged
            ? alert with { Status = status, AcknowledgedBy = actor, AcknowledgedAt = now }
            : alert with { Status = status!, ClosedBy = actor, ClosedAt = now, Outcome = outcome };
        var entry = StaffAudit.Entry(user, now, status == AlertStatuses.Acknowledged ? "alert.acknowledge" : "alert.close",
            $"alert:{id}", string.IsNullOrWhiteSpace(change.Note) ? null : change.Note.Trim(),
            $"{alert.Kind} · {alert.Subject} · {alert.Province}" + (outcome is null ? "" : $" · {outcome}"));
        if (!await store.SetEarlyAlertStateAsync(changed, alert.Status, entry, ct))
            return Outcome<AlertView>.Conflict("The alert was changed meanwhile; read it again.");
        return Outcome<AlertView>.Ok(AlertView.Of(changed));
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
