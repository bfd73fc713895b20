namespace Traceability.Authority.Api.Trace;

/// <summary>
/// One event of a trace, with the key data elements FSMA 204 and Vietnam's Circular 02 ask for as
/// flat columns (the sortable spreadsheet an investigation starts from).
/// Relation: `traced` (the requested lot), `upstream` (one step back), `downstream` (one step forward).
/// </summary>
public sealed record TraceRow(
    string Relation,
    string TraceabilityLotCode,
    string Gtin,
    string? ProductName,
    decimal? Quantity,
    string? Uom,
    string Cte,
    string EventType,
    string? BizStep,
    string? Disposition,
    DateTimeOffset EventTime,
    string? LocationId,
    string? LocationName,
    string? LocationProvince,
    string? Source,
    string? Destination,
    string? LinkedLots,
    string? Producer,
    string? ProducerTaxCode,
    string EventId)
{
    /// <summary>The event time in Vietnam, labelled (e.g. "15:00 01/11/2026 (UTC+7)"): what an inspector reads.</summary>
    public string EventTimeLocal => Statistics.ReportTables.TimeText(EventTime);
    /// <summary>The event's place: its registered address (street, commune) rather than a code.</summary>
    public string? LocationAddress { get; init; }
    /// <summary>The consignee of a shipment (the business that owns its first destination) and how to reach it.</summary>
    public string? Consignee { get; init; }
    public string? ConsigneeAddress { get; init; }
    public string? ConsigneePhone { get; init; }
}

public sealed record TraceLot(string Relation, string Gtin, string Lot, string? ProductName, string? Producer);

public sealed record TraceReport(TraceLot Lot, IReadOnlyList<TraceLot> Upstream, IReadOnlyList<TraceLot> Downstream,
    IReadOnlyList<TraceRow> Rows);
