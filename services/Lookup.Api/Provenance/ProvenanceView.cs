namespace Traceability.Lookup.Api.Provenance;

// The public provenance projection (DESIGN §4.5). Only public fields: no storage ids, tax codes,
// phone numbers, e-mails, event ids or raw location identifiers. Serialised camelCase, nulls kept.

public sealed record ProvenanceView(
    string DigitalLink,
    string Status,
    ProductView Product,
    ProducerView Producer,
    LotView? Lot,
    OriginView? Origin,
    IReadOnlyList<EventView> Events,
    IReadOnlyList<TraceLinkView> Upstream,
    IReadOnlyList<TraceLinkView> Downstream,
    RecallView? Recall)
{
    /// <summary>
    /// The version of this projection's shape and content rules, stored with every read-model row
    /// (LookupReadModel): rows of another version are misses and deleted at start. Raise it whenever
    /// these records or ProvenanceBuilder change what a stored view would hold.
    /// </summary>
    public const int ProjectionVersion = 1;

    /// <summary>How much the looked-up code proves (verified | registered | unverified); set per code by the resolver.</summary>
    public string? Assurance { get; init; }

    /// <summary>The verdict verify gives the same code (Traceability.Domain.Verification.Verdicts); set per code by the resolver.</summary>
    public string? Verdict { get; init; }
}

public sealed record NameView(string Vi, string? En)
{
    public string For(string lang) => lang == "en" && !string.IsNullOrEmpty(En) ? En : Vi;
}

public sealed record ProductView(
    string Gtin, NameView Name, string? Brand, string? ImageUrl, IReadOnlyList<string> Standards,
    IReadOnlyList<CertificateView> Certificates, string? Category);

/// <summary>
/// A certificate of a standard the product is made to (VietGAP no. …, issued by …, valid to …).
/// Expired: its validity ended before today (Vietnam's date), so the page never shows it as in force.
/// </summary>
public sealed record CertificateView(string Standard, string? Number, string? Issuer, DateOnly? ValidFrom, DateOnly? ValidTo, bool Expired = false);

/// <summary>The producer and its public contact (phone, website: an http(s) URL or null).</summary>
public sealed record ProducerView(string Name, string Address, string Province, string? Phone = null, string? Website = null);

public sealed record LotView(string Lot, DateOnly? ProductionDate, DateOnly? ExpiryDate, decimal? Quantity, string? Uom);

public sealed record OriginView(string Name, string? Province, double? Latitude, double? Longitude);

public sealed record PlaceView(string Name, string? Province);

/// <summary>
/// One step of the journey. <c>corrected</c>: its producer declared it wrong (an EPCIS error
/// declaration), with the reason (<c>did_not_occur</c>, <c>incorrect_data</c>) and the eventIDs of
/// the events that correct it; <c>correction</c>: this event is one of those.
/// </summary>
public sealed record EventView(
    DateTimeOffset EventTime, string EventType, string? Action, string? BizStep, string? Disposition, PlaceView? Location,
    bool Corrected = false,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? CorrectionReason = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? CorrectiveEventIds = null,
    bool Correction = false);

/// <summary>
/// One step back or forward: another lot linked by a transformation (`via` = transformation), or
/// where the lot went (`via` = shipping: the destination; `receiving`: another business received it).
/// </summary>
public sealed record TraceLinkView(
    string Via,
    DateTimeOffset EventTime,
    string? DigitalLink,
    string? Gtin,
    string? Lot,
    NameView? ProductName,
    string? ProducerName,
    PlaceView? Location);

public sealed record RecallView(string Reason, string Severity, DateTimeOffset IssuedAt);
