using Traceability.ServiceDefaults.Files;

namespace Traceability.Authority.Api.Trace;

/// <summary>The trace as CSV or XLSX, one row per event, through the shared <see cref="SpreadsheetFile"/> writer.</summary>
public static class TraceFiles
{
    public static readonly string[] Columns =
    [
        "relation", "traceability_lot_code", "gtin", "product_name", "quantity", "uom", "cte", "event_type", "biz_step",
        "disposition", "event_time", "location_id", "location_name", "location_province", "source", "destination",
        "linked_lots", "producer", "producer_tax_code", "event_id",
    ];

    private static object?[] Values(TraceRow r) =>
    [
        r.Relation, r.TraceabilityLotCode, r.Gtin, r.ProductName, r.Quantity, r.Uom, r.Cte, r.EventType, r.BizStep,
        r.Disposition, r.EventTime, r.LocationId, r.LocationName, r.LocationProvince, r.Source, r.Destination,
        r.LinkedLots, r.Producer, r.ProducerTaxCode, r.EventId,
    ];

    public static byte[] Csv(IReadOnlyList<TraceRow> rows) => SpreadsheetFile.Csv(Columns, rows.Select(Values));

    public static byte[] Xlsx(IReadOnlyList<TraceRow> rows) => SpreadsheetFile.Xlsx(new Sheet("trace", Columns, rows.Select(Values)));
}
