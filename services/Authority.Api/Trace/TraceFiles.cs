namespace Traceability.Authority.Api.Trace;

/// <summary>
/// The trace as CSV or XLSX, one row per event, through the shared <see cref="SpreadsheetFile"/> writer.
/// Headers are stable machine names by default; <c>lang=vi</c> gives Vietnamese headers for people
/// (the same columns in the same order). Times: UTC, and in Vietnam time labelled UTC+7.
/// </summary>
public static class TraceFiles
{
    public static readonly string[] Columns =
    [
        "relation", "traceability_lot_code", "gtin", "product_name", "quantity", "uom", "cte", "event_type", "biz_step",
        "disposition", "event_time", "event_time_local", "location_id", "location_name", "location_address", "location_province",
        "source", "destination", "consignee", "consignee_address", "consignee_phone",
        "linked_lots", "producer", "producer_tax_code", "event_id",
    ];

    public static readonly string[] VietnameseColumns =
    [
        "Quan hệ với lô", "Mã lô truy xuất", "GTIN", "Tên sản phẩm", "Số lượng", "Đơn vị tính", "Sự kiện trọng yếu (CTE)", "Loại sự kiện",
        "Công đoạn", "Trạng thái", "Thời điểm (UTC)", "Thời điểm (giờ Việt Nam, UTC+7)", "Mã địa điểm", "Tên địa điểm", "Địa chỉ địa điểm",
        "Tỉnh, thành", "Nơi gửi", "Nơi nhận", "Bên nhận hàng", "Địa chỉ bên nhận", "Điện thoại bên nhận",
        "Lô liên quan", "Cơ sở ghi nhận", "Mã số thuế", "Mã sự kiện",
    ];

    private static object?[] Values(TraceRow r) =>
    [
        r.Relation, r.TraceabilityLotCode, r.Gtin, r.ProductName, r.Quantity, r.Uom, r.Cte, r.EventType, r.BizStep,
        r.Disposition, r.EventTime, r.EventTimeLocal, r.LocationId, r.LocationName, r.LocationAddress, r.LocationProvince,
        r.Source, r.Destination, r.Consignee, r.ConsigneeAddress, r.ConsigneePhone,
        r.LinkedLots, r.Producer, r.ProducerTaxCode, r.EventId,
    ];

    public static byte[] Csv(IReadOnlyList<TraceRow> rows, bool vietnamese = false) =>
        SpreadsheetFile.Csv(vietnamese ? VietnameseColumns : Columns, rows.Select(Values));

    public static byte[] Xlsx(IReadOnlyList<TraceRow> rows, bool vietnamese = false) =>
        SpreadsheetFile.Xlsx(new Sheet(vietnamese ? "truy-xuat" : "trace", vietnamese ? VietnameseColumns : Columns, rows.Select(Values)));
}
