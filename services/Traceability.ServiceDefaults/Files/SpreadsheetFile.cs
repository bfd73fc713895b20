using System.Buffers;
using System.Text;
using MiniExcelLibs;

namespace Traceability.ServiceDefaults.Files;

/// <summary>One sheet of an XLSX file: its name, its header row and its rows (one value per column).</summary>
public sealed record Sheet(string Name, IReadOnlyList<string> Columns, IEnumerable<IReadOnlyList<object?>> Rows);

/// <summary>
/// The one writer of every CSV and XLSX file the services hand out (trace export, lot export,
/// import templates), so that each of them neutralises spreadsheet formulas the same way.
///
/// A text cell that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
/// carriage return: OWASP "CSV injection") gets a leading apostrophe, so <c>=HYPERLINK(…)</c> typed
/// into a note shows as text instead of a link that leaks data. Numbers and dates are written as
/// such and never escaped. <see cref="Unescape"/> undoes it exactly, so the console's export reads
/// back to the same events (the import applies it).
/// </summary>
public static class SpreadsheetFile
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    /// <summary>
    /// <paramref name="text"/> with an apostrophe before it when it would start a formula. Text that
    /// is apostrophes followed by a formula start gets one more, so that Unescape is exact.
    /// </summary>
    public static string Escape(string text) => StartsFormula(text) ? "'" + text : text;

    /// <summary>The inverse of <see cref="Escape"/>: drops the apostrophe Escape added, and only that.</summary>
    public static string Unescape(string text) =>
        text.Length > 1 && text[0] == '\'' && StartsFormula(text[1..]) ? text[1..] : text;

    private static bool StartsFormula(string text)
    {
        var rest = text.AsSpan().TrimStart('\'');
        return rest.Length > 0 && FormulaStart.Contains(rest[0]);
    }

    /// <summary>RFC 4180 CSV with a UTF-8 BOM (so Excel shows Vietnamese), CRLF line ends, one header row.</summary>
    public static byte[] Csv(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', columns.Select(c => Quote(Escape(c)))).Append("\r\n");
        foreach (var row in rows)
            sb.AppendJoin(',', row.Select(v => Quote(CsvText(v)))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>An XLSX workbook with one sheet per <paramref name="sheets"/> entry, in that order.</summary>
    public static byte[] Xlsx(params IReadOnlyList<Sheet> sheets)
    {
        var workbook = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var sheet in sheets)
            workbook[sheet.Name] = sheet.Rows.Select(row =>
            {
                var cells = new Dictionary<string, object?>(sheet.Columns.Count, StringComparer.Ordinal);
                for (var i = 0; i < sheet.Columns.Count; i++) cells[sheet.Columns[i]] = XlsxValue(i < row.Count ? row[i] : null);
                return cells;
            }).ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(workbook, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static string CsvText(object? value) => value switch
    {
        null => "",
        string s => Escape(s),
        // Times in UTC with a Z, as the JSON export writes them: a spreadsheet sorts the text.
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(value.ToString() ?? ""),
    };

    // Text stays text (a GTIN keeps its leading zero); times become real dates (UTC) so they sort.
    private static object? XlsxValue(object? value) => value switch
    {
        string s => Escape(s),
        DateTimeOffset t => t.UtcDateTime,
        _ => value,
    };

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(NeedsQuotes) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
