using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace Traceability.Authority.Api.Trace;

/// <summary>The trace as CSV (one header row, UTF-8 with BOM so Excel shows Vietnamese) or XLSX.</summary>
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

    public static byte[] Csv(IReadOnlyList<TraceRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Columns).Append("\r\n");
        foreach (var row in rows)
        {
            sb.AppendJoin(',', Values(row).Select(Cell)).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    public static async Task<byte[]> XlsxAsync(IReadOnlyList<TraceRow> rows, CancellationToken ct)
    {
        // GTINs stay text (a number column would drop the leading zero); times are real dates so they sort.
        var sheet = rows.Select(r =>
        {
            var values = Values(r);
            var dict = new Dictionary<string, object?>(Columns.Length);
            for (var i = 0; i < Columns.Length; i++)
                dict[Columns[i]] = values[i] is DateTimeOffset t ? t.UtcDateTime : values[i];
            return dict;
        }).ToList();
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, sheetName: "trace", excelType: ExcelType.XLSX, cancellationToken: ct);
        return stream.ToArray();
    }

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it as a formula.</summary>
    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            decimal d => d.ToString(CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        if (text.Length > 0 && value is string && "=+-@".Contains(text[0])) text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
