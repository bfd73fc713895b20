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
    string EventId);

public sealed record TraceLot(string Relation, string Gtin, string Lot, string? ProductName, string? Producer);

public sealed record TraceReport(TraceLot Lot, IReadOnlyList<TraceLot> Upstream, IReadOnlyList<TraceLot> Downstream,
    IReadOnlyList<TraceRow> Rows);
