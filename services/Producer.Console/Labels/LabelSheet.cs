using System.Text;
using QRCoder;

namespace Traceability.ProducerConsole.Labels;

/// <summary>
/// A printable A4 sheet of labels, 18 per page. Lot labels repeat one QR code (the lot's canonical
/// Digital Link on the public base URL, what <c>/qr/01/…</c> encodes); signed labels carry one
/// serialised, signed link each, which an inspector's phone verifies offline. Each distinct code
/// is drawn once as an SVG symbol that its labels use, so 1,000 lot labels stay small.
/// </summary>
public sealed class LabelSheet
{
    public const int MaxCount = 1000;
    internal const int PerPage = 18; // 3 × 6 labels of 70 × 49.5 mm

    public static string Link(Lot lot, string baseUrl) => new DigitalLink(Gtin.Parse(lot.Gtin), Lot: lot.LotNumber).ToUri(baseUrl);

    /// <summary><paramref name="count"/> labels of the lot's own code, in <paramref name="lang"/> (vi, en).</summary>
    public IResult Render(Product product, Lot lot, int count, string baseUrl, string lang) =>
        Render(product, lot, Enumerable.Repeat(Link(lot, baseUrl), count).ToList(), lang);

    /// <summary>One label per link, in order (signed serialised labels: one link each).</summary>
    public IResult Render(Product product, Lot lot, IReadOnlyList<string> links, string lang) =>
        PageResult.Of<LabelSheetView>(new { Product = product, Lot = lot, Links = links }, culture: lang);

    /// <summary>One code's SVG symbol: generated from the QR matrix and the symbol's id only, so it is written as markup.</summary>
    internal static string Symbol(string id, string link) => $"<symbol id=\"{id}\" viewBox=\"{QrSymbol(link)}</symbol>";

    /// <summary>The viewBox and one path with a unit square per dark module (quiet zone of 4 included).</summary>
    private static string QrSymbol(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // includes the 4-module quiet zone
        var size = matrix.Count;
        var d = new StringBuilder();
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                if (matrix[y][x]) d.Append('M').Append(x).Append(',').Append(y).Append("h1v1h-1z");
        return $"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/>";
    }
}
