using System.Globalization;
using MiniExcelLibs;

namespace Traceability.ProducerConsole.Import;

/// <summary>One spreadsheet row as text; Number is the row as the user sees it (header = row 1).</summary>
public sealed record ImportRow(
    int Number, string? Gtin, string? Lot, string? BizStep, string? EventTime, string? Location, string? Quantity,
    string? Uom, string? InputGtin, string? InputLot, string? Note);

/// <summary>
/// Reads CSV or XLSX with MiniExcel, first sheet, header row naming the columns (any order, any
/// case). Cells come back as text; XLSX dates and numbers are written out invariantly.
/// </summary>
public sealed class ImportReader
{
    public static readonly string[] Columns = ["gtin", "lot", "bizStep", "eventTime", "location", "quantity", "uom", "inputGtin", "inputLot", "note"];

    public static bool IsXlsx(ReadOnlySpan<byte> head) => head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;

    /// <summary>The rows, or an error message when the file cannot be read or has no known column.</summary>
    public (List<ImportRow> Rows, string? Error) Read(byte[] file)
    {
        try
        {
            using var stream = new MemoryStream(file, writable: false);
            var type = IsXlsx(file) ? ExcelType.XLSX : ExcelType.CSV;
            var rows = new List<ImportRow>();
            var number = 1;
            foreach (IDictionary<string, object?> cells in MiniExcel.Query(stream, useHeaderRow: true, excelType: type))
            {
                number++;
                var byName = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (var (key, value) in cells) byName[key.Trim().TrimStart('\uFEFF')] = Text(value);
                if (number == 2 && !Columns.Any(byName.ContainsKey))
                    return ([], "no-columns");
                if (byName.Values.All(v => v is null)) continue; // blank line
                string? Get(string c) => byName.GetValueOrDefault(c);
                rows.Add(new ImportRow(number, Get("gtin"), Get("lot"), Get("bizStep"), Get("eventTime"), Get("location"), Get("quantity"),
                    Get("uom"), Get("inputGtin"), Get("inputLot"), Get("note")));
            }
            return (rows, null);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException
            or ArgumentException or System.Xml.XmlException or IndexOutOfRangeException
            // A CSV row shorter, or longer, than its header (found by the console fuzz test).
            or MiniExcelLibs.Exceptions.ExcelColumnNotFoundException or KeyNotFoundException)
        {
            return ([], "unreadable");
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        double n => n.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
