using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Traceability.Authority.Api.Statistics;

/// <summary>The report as an XLSX workbook (one sheet per section) and as a PDF (the annual report's title, Vietnamese dates).</summary>
public static class ReportFiles
{
    public const string PdfType = "application/pdf";

    /// <summary>The report's title: "Báo cáo kết quả thực hiện công tác truy xuất nguồn gốc năm {year}" (both years when the period spans two).</summary>
    public static string Title(StatisticsReport r, IStringLocalizer<WorkspaceTexts> t)
    {
        var (first, last) = (r.From[..4], r.To[..4]);
        return string.Format(System.Globalization.CultureInfo.CurrentCulture, t["Report_Title"], first == last ? first : $"{first}–{last}");
    }

    /// <summary>The lines under the title: period, province, when it was made (UTC+7).</summary>
    public static IReadOnlyList<(string Label, string Value)> Heading(StatisticsReport r, IStringLocalizer<WorkspaceTexts> t) =>
    [
        (t["Report_Period"], $"{ReportTables.DayText(r.From)} – {ReportTables.DayText(r.To)}"),
        (t["Province"], r.Province ?? t["AllProvinces"]),
        (t["Report_GeneratedAt"], ReportTables.TimeText(r.GeneratedAt)),
    ];

    /// <summary>The workbook: the heading on the first sheet, then one sheet per section, through the shared formula-safe writer.</summary>
    public static byte[] Xlsx(StatisticsReport r, IStringLocalizer<WorkspaceTexts> t)
    {
        var heading = new Sheet(t["Report_SheetInfo"], [t["Report_Item"], t["Report_Value"]],
            [[t["Report_TitleLabel"], Title(r, t)], .. Heading(r, t).Select(h => (IReadOnlyList<object?>)[h.Label, h.Value])]);
        return SpreadsheetFile.Xlsx([heading, .. ReportTables.Build(r, t).Select(s => new Sheet(s.SheetName, s.Columns, s.Rows))]);
    }

    /// <summary>The PDF (A4): title, heading, then each section's table, on as many pages as it takes.</summary>
    public static byte[] Pdf(StatisticsReport r, IStringLocalizer<WorkspaceTexts> t)
    {
        ReportFonts.EnsureRegistered();
        using var document = new PdfDocument();
        document.Info.Title = Title(r, t);
        var writer = new PdfWriter(document);
        writer.Paragraph(Title(r, t).ToUpper(System.Globalization.CultureInfo.CurrentCulture), writer.Title);
        foreach (var (label, value) in Heading(r, t)) writer.Paragraph($"{label}: {value}", writer.Body);
        foreach (var table in ReportTables.Build(r, t))
        {
            writer.Space(10);
            writer.Paragraph(table.Title, writer.Heading);
            writer.Row(table.Columns[0], table.Columns[1], writer.Bold);
            foreach (var row in table.Rows) writer.Row(ReportTables.Cell(row[0]), ReportTables.Cell(row[1]), writer.Body);
        }
        writer.Close();
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>Writes lines top to bottom, starting a new page when one is full.</summary>
    private sealed class PdfWriter(PdfDocument document)
    {
        private const double Margin = 50, LineGap = 4;
        public readonly XFont Title = new(ReportFonts.Family, 13, XFontStyleEx.Bold);
        public readonly XFont Heading = new(ReportFonts.Family, 11, XFontStyleEx.Bold);
        public readonly XFont Bold = new(ReportFonts.Family, 9.5, XFontStyleEx.Bold);
        public readonly XFont Body = new(ReportFonts.Family, 9.5, XFontStyleEx.Regular);
        private PdfPage? page;
        private XGraphics? gfx;
        private double y;

        private XGraphics Graphics(double height)
        {
            if (gfx is null || y + height > page!.Height.Point - Margin)
            {
                gfx?.Dispose();
                page = document.AddPage();
                page.Size = PdfSharp.PageSize.A4;
                gfx = XGraphics.FromPdfPage(page);
                y = Margin;
            }
            return gfx;
        }

        private double Width => page!.Width.Point - 2 * Margin;

        public void Space(double points) => y += points;

        /// <summary>Text wrapped at word boundaries to the page width.</summary>
        public void Paragraph(string text, XFont font)
        {
            var line = "";
            foreach (var word in text.Split(' '))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && Graphics(0).MeasureString(candidate, font).Width > Width)
                {
                    Line(line, font);
                    line = word;
                }
                else line = candidate;
            }
            Line(line, font);
        }

        private void Line(string text, XFont font)
        {
            var height = font.GetHeight() + LineGap;
            Graphics(height).DrawString(text, font, XBrushes.Black, new XRect(Margin, y, Width, height), XStringFormats.TopLeft);
            y += height;
        }

        /// <summary>A label and its value, the value right-aligned, with a rule under them.</summary>
        public void Row(string label, string value, XFont font)
        {
            var height = font.GetHeight() + LineGap;
            var g = Graphics(height);
            g.DrawString(label, font, XBrushes.Black, new XRect(Margin, y, Width * 0.75, height), XStringFormats.TopLeft);
            g.DrawString(value, font, XBrushes.Black, new XRect(Margin + Width * 0.75, y, Width * 0.25, height), XStringFormats.TopRight);
            y += height;
            g.DrawLine(XPens.LightGray, Margin, y - 1, Margin + Width, y - 1);
        }

        public void Close() => gfx?.Dispose();
    }
}

/// <summary>
/// The PDF's font: DejaVu Sans (it has every Vietnamese letter), read from the system's font folder
/// and embedded in each PDF (PDFsharp has no fonts of its own on Linux). Debian/Ubuntu: package
/// <c>fonts-dejavu-core</c>, which test.sh installs and infra/deploy/README.md lists.
/// </summary>
public sealed class ReportFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly string[] Folders =
        ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu-sans-fonts"];
    private static readonly Lock Gate = new();

    /// <summary>The folder that holds DejaVuSans.ttf and DejaVuSans-Bold.ttf, or null when the system has none.</summary>
    public static string? Folder { get; } = Folders.FirstOrDefault(f => File.Exists(Path.Combine(f, "DejaVuSans.ttf")) && File.Exists(Path.Combine(f, "DejaVuSans-Bold.ttf")));

    /// <summary>PDFsharp's resolver is process-wide and may be set once.</summary>
    public static void EnsureRegistered()
    {
        if (Folder is null)
            throw new FileNotFoundException("The PDF report needs the DejaVu Sans font (Debian: apt-get install fonts-dejavu-core).");
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not ReportFonts) GlobalFontSettings.FontResolver = new ReportFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(Path.Combine(Folder!, faceName + ".ttf"));
}
