using Microsoft.Extensions.Options;
using MiniExcelLibs;

namespace Traceability.ProducerConsole.Import;

/// <summary>One spreadsheet row as text; Number is the row as the user sees it (header = row 1).</summary>
public sealed record ImportRow(
    int Number, string? Gtin, string? Lot, string? BizStep, string? EventTime, string? Location, string? Quantity,
    string? Uom, string? InputGtin, string? InputLot, string? Note);

/// <summary>
/// Reads CSV or XLSX with MiniExcel, first sheet, header row naming the columns (any order, any
/// case). Cells come back as text; XLSX dates and numbers are written out invariantly.
///
/// Rows are streamed, never listed: <see cref="Check"/> reads the file through once and stops at
/// the row limit, and the import job reads it again with <see cref="Rows"/> while it validates,
/// so memory stays flat whatever the file expands to (an XLSX is checked by
/// <see cref="XlsxGuard"/> first).
/// </summary>
public sealed class ImportReader(IOptions<ImportOptions> options)
{
    public static readonly string[] Columns = ["gtin", "lot", "bizStep", "eventTime", "location", "quantity", "uom", "inputGtin", "inputLot", "note"];

    public ImportOptions Limits => options.Value;

    public static bool IsXlsx(ReadOnlySpan<byte> head) => head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;

    /// <summary>
    /// The number of data rows, or why the file is refused: "unreadable", "no-columns",
    /// "too-many-rows" (more rows than <see cref="ImportOptions.MaxRows"/>, blank ones included:
    /// reading stops there), or an <see cref="XlsxGuard"/> reason.
    /// </summary>
    public (int Rows, string? Error) Check(byte[] file)
    {
        var limits = options.Value;
        try
        {
            if (IsXlsx(file) && XlsxGuard.Check(file, limits) is { } refused) return (0, refused);
            var read = 0;
            var rows = 0;
            foreach (var row in Read(file))
            {
                if (++read > limits.MaxRows) return (0, "too-many-rows");
                if (read == 1 && !Columns.Any(row.ContainsKey)) return (0, "no-columns");
                if (!row.Values.All(v => v is null)) rows++;
            }
            return (rows, null);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return (0, "unreadable");
        }
    }

    /// <summary>The data rows of a file that <see cref="Check"/> accepted, read as they are enumerated; blank rows are skipped.</summary>
    public IEnumerable<ImportRow> Rows(byte[] file)
    {
        var number = 1;
        foreach (var row in Read(file))
        {
            number++;
            if (row.Values.All(v => v is null)) continue;
            string? Get(string c) => row.GetValueOrDefault(c);
            yield return new ImportRow(number, Get("gtin"), Get("lot"), Get("bizStep"), Get("eventTime"), Get("location"), Get("quantity"),
                Get("uom"), Get("inputGtin"), Get("inputLot"), Get("note"));
        }
    }

    private static IEnumerable<Dictionary<string, string?>> Read(byte[] file)
    {
        using var stream = new MemoryStream(file, writable: false);
        var type = IsXlsx(file) ? ExcelType.XLSX : ExcelType.CSV;
        foreach (IDictionary<string, object?> cells in MiniExcel.Query(stream, useHeaderRow: true, excelType: type))
        {
            var byName = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in cells) byName[key.Trim().TrimStart('\uFEFF')] = Text(value);
            yield return byName;
        }
    }

    private static bool IsUnreadable(Exception e) => e is InvalidDataException or FormatException or InvalidOperationException or IOException
        or ArgumentException or System.Xml.XmlException or IndexOutOfRangeException
        // A CSV row shorter, or longer, than its header (found by the console fuzz test).
        or MiniExcelLibs.Exceptions.ExcelColumnNotFoundException or KeyNotFoundException;

    // Unescape: the service's own exports put an apostrophe before formula-like text; reading it
    // back gives the original text, so an exported lot re-imports to the same events.
    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : SpreadsheetFile.Unescape(s.Trim()),
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        double n => n.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
