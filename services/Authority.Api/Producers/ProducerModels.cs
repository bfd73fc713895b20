namespace Traceability.Authority.Api.Producers;

/// <summary>Filters of the producer list: province (exact, case-insensitive), status (active | suspended), q (name, tax code or id).</summary>
public sealed record ProducerFilter(string? Province = null, string? Status = null, string? Q = null);

public sealed record ProducerSummary(
    string Id, string Name, string TaxCode, string Address, string Province, string? Gln,
    IReadOnlyList<string> CompanyPrefixes, string Status, DateTimeOffset CreatedAt)
{
    public static ProducerSummary From(Producer p) => new(p.Id, p.Name, p.TaxCode, p.Address, p.Province, p.Gln,
        p.CompanyPrefixes, p.Suspended ? "suspended" : "active", p.CreatedAt);
}

/// <summary>One page: <see cref="Page"/> is 1-based; NextPageToken is null on the last page.</summary>
public sealed record ProducerPage(IReadOnlyList<ProducerSummary> Items, int Total, int Page, int PerPage, string? NextPageToken);

/// <summary>One page of a producer's products or lots: <see cref="Page"/> is 1-based; NextPageToken is null on the last page.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PerPage, string? NextPageToken);

/// <summary>Portal sync state of a product or lot: synced (or nothing to send), pending, in_flight or failed (with the portal's reason).</summary>
public sealed record SyncState(string State, string? Error)
{
    public static readonly SyncState Synced = new("synced", null);

    public static SyncState Of(OutboxRow? row) => row is null ? Synced : new(row.State switch
    {
        OutboxState.Pending => "pending",
        OutboxState.InFlight => "in_flight",
        OutboxState.Failed => "failed",
        _ => "synced",
    }, row.State == OutboxState.Failed ? row.LastError : null);
}

public sealed record ProducerProduct(string Gtin, string NameVi, string? NameEn, string? Brand, DateTimeOffset CreatedAt, SyncState Portal);

public sealed record ProducerLot(
    string Gtin, string Lot, DateOnly? ProductionDate, DateOnly? ExpiryDate, decimal? Quantity, string? Uom,
    DateTimeOffset CreatedAt, string Link, SyncState Portal);

public sealed record ProducerEvent(string EventId, string EventType, DateTimeOffset EventTime, string? BizStep, string? Disposition);

public sealed record ProducerRecall(string Id, string Gtin, IReadOnlyList<string> Lots, string Reason, string Severity, DateTimeOffset IssuedAt);

/// <summary>A producer with what the authority looks at: products, lots, recent events, portal sync and active recalls.</summary>
public sealed record ProducerDetails(
    ProducerSummary Producer, string? Phone, string? Email, IReadOnlyList<ProducerProduct> Products,
    IReadOnlyList<ProducerLot> Lots, IReadOnlyList<ProducerEvent> RecentEvents, IReadOnlyList<ProducerRecall> Recalls);
