using System.Text.Json.Nodes;

namespace Traceability.ProducerConsole.Import;

/// <summary>The import template (columns explained in Vietnamese) and the per-lot export in the same columns.</summary>
internal static class ImportTemplate
{
    public static readonly (string Column, string Vi, string En)[] Meanings =
    [
        ("gtin", "Mã GTIN của sản phẩm (8–14 chữ số), đã đăng ký trong hệ thống.", "The product's GTIN (8–14 digits), registered here."),
        ("lot", "Số lô (đã tạo trong mục Lô hàng). Với chế biến: lô thành phẩm.", "The lot number (created under Lots). For processing: the output lot."),
        ("bizStep", "Công đoạn: thu hoạch, sơ chế / chế biến, đóng gói, vận chuyển, nhận hàng, lưu kho, bán lẻ (hoặc mã CBV như shipping).",
            "The step: harvest, processing, packing, shipping, receiving, storing, retail (or a CBV term such as shipping)."),
        ("eventTime", "Thời gian, giờ Việt Nam: 2026-11-23T08:30 hoặc 23/11/2026 08:30 (có thể kèm múi giờ, vd. +07:00).",
            "When, in Vietnam time: 2026-11-23T08:30 or 23/11/2026 08:30 (an offset such as +07:00 may be given)."),
        ("location", "Mã địa điểm của bạn (mục Địa điểm), có thể bỏ trống.", "Your location code (under Locations); may be empty."),
        ("quantity", "Số lượng (số, dấu chấm hoặc phẩy thập phân), có thể bỏ trống.", "Quantity (a number), may be empty."),
        ("uom", "Đơn vị theo mã UN/CEFACT: KGM (kg), TNE (tấn), H87 (cái), XBX (hộp)…; bỏ trống nếu đếm theo sản phẩm.",
            "Unit as a UN/CEFACT code: KGM (kg), TNE (tonne), H87 (piece), XBX (box)…; empty to count products."),
        ("inputGtin", "Chỉ với chế biến: GTIN của nguyên liệu đầu vào. Nhiều nguyên liệu: nhiều dòng giống nhau, khác cột này.",
            "Processing only: the GTIN of the input. Several inputs: repeat the row with another input."),
        ("inputLot", "Chỉ với chế biến: số lô của nguyên liệu đầu vào.", "Processing only: the lot of the input."),
        ("note", "Ghi chú (tuỳ chọn, tối đa 500 ký tự).", "Note (optional, at most 500 characters)."),
    ];

    private static readonly object?[][] Examples =
    [
        ["8930000000019", "CS-2611A", "thu hoạch", "2026-11-20T07:30", "VT-PHULUU", "1200", "KGM", "", "", "Thu hoạch đợt 1"],
        ["8930000000019", "CS-2611A", "đóng gói", "2026-11-21T09:00", "SC-HAMYEN", "400", "XBX", "", "", ""],
        ["8930000000019", "CS-2611A", "vận chuyển", "21/11/2026 14:00", "SC-HAMYEN", "400", "XBX", "", "", "Xe 22C-123.45"],
    ];

    public static byte[] Csv() => SpreadsheetFile.Csv(ImportReader.Columns, Examples);

    public static byte[] Xlsx() => SpreadsheetFile.Xlsx(
        new Sheet("SuKien", ImportReader.Columns, Examples),
        new Sheet("HuongDan", ["Cột", "Ý nghĩa", "Meaning"], Meanings.Select(m => (IReadOnlyList<object?>)[m.Column, m.Vi, m.En])));

    /// <summary>
    /// The events about one of the producer's lots (as its quantity or as a processing output), one
    /// row per event (per input for processing), in the import's columns: re-importing the file
    /// gives the same events, which the capture recognises as already stored.
    /// </summary>
    public static async Task<IResult> ExportAsync(HttpContext ctx, string gtin, string lot, ICatalogStore catalog, IEventStore events)
    {
        var producerId = ctx.User.ProducerId();
        if (!Gtin.TryParse(gtin, out var g, out _)) return Results.NotFound();
        var found = await catalog.GetLotAsync(g.Value, lot, ctx.RequestAborted);
        if (found is null || found.ProducerId != producerId) return Results.NotFound();
        var own = (await catalog.ListLocationsAsync(producerId!, ctx.RequestAborted)).ToDictionary(LocationIdentifier.Of, l => l.Code);
        var classUri = EventBuilder.ClassUri(g.Value, lot);
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var stored in await events.GetEventsForLotAsync(found.Key, ctx.RequestAborted))
        {
            if (stored.ProducerId != producerId) continue;
            var json = JsonNode.Parse(stored.Json)!.AsObject();
            var transformation = stored.EventType == "TransformationEvent";
            var subject = (json[transformation ? "outputQuantityList" : "quantityList"] as JsonArray)?
                .OfType<JsonObject>().FirstOrDefault(q => (string?)q["epcClass"] == classUri);
            if (subject is null) continue;
            var location = (string?)json["bizLocation"]?["id"];
            var step = transformation ? "transformation" : stored.BizStep ?? "";
            var common = new object?[]
            {
                g.Value, lot, step, (string?)json["eventTime"] ?? stored.EventTime.ToString("O", CultureInfo.InvariantCulture),
                location is null ? "" : own.GetValueOrDefault(location, location),
                subject["quantity"]?.ToJsonString() ?? "", (string?)subject["uom"] ?? "",
            };
            var note = (string?)json[EventBuilder.NoteField] ?? "";
            var inputs = transformation
                ? (json["inputQuantityList"] as JsonArray)?.OfType<JsonObject>().Select(q => (string?)q["epcClass"]).ToList() ?? []
                : [null];
            foreach (var input in inputs)
            {
                var (inGtin, inLot) = input is not null && EpcIdentifier.TryParse(input, out var id, out _)
                    && id.LotKey is { } k && LotKey.TryParse(k, out var g14, out var l) ? (g14, l) : ("", "");
                rows.Add([.. common, inGtin, inLot, note]);
            }
        }
        return Results.File(SpreadsheetFile.Csv(ImportReader.Columns, rows), SpreadsheetFile.CsvType, $"{g.Value}-{lot}.csv");
    }
}
