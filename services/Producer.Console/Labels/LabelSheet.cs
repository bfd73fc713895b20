using System.Globalization;
using System.Text;
using QRCoder;
using Traceability.Domain.DigitalLinks;
using Traceability.Domain.Gs1;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Labels;

/// <summary>
/// A printable A4 sheet of plain lot labels: one QR code (the lot's canonical Digital Link on the
/// public base URL, what <c>/qr/01/…</c> encodes), repeated N times with product name, lot and
/// expiry under each. The code is drawn once as an SVG symbol and each label uses it, so 1,000
/// labels stay small. Signed serialised labels (one code per item) are a separate feature.
/// </summary>
public sealed class LabelSheet
{
    public const int MaxCount = 1000;
    private const int PerPage = 18; // 3 × 6 labels of 70 × 49.5 mm

    public static string Link(Lot lot, string baseUrl) => new DigitalLink(Gtin.Parse(lot.Gtin), Lot: lot.LotNumber).ToUri(baseUrl);

    public string Render(Product product, Lot lot, int count, string baseUrl, string lang)
    {
        var en = lang == "en";
        var link = Link(lot, baseUrl);
        var name = product.Name.For(lang);
        var expiry = lot.ExpiryDate?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var label = H($"""
            <div class="label"><svg class="qr" role="img" aria-label="{(en ? "QR code" : "Mã QR")} {link}"><use href="#qr"/></svg>
            <p class="name">{name}</p><p>{(en ? "Lot" : "Lô")}: {lot.LotNumber}</p>{When(expiry is not null, H($"<p>{(en ? "Exp." : "HSD")}: {expiry}</p>"))}</div>
            """);
        var pages = Enumerable.Range(0, (count + PerPage - 1) / PerPage)
            .Select(p => H($"<section class=\"sheet\">{Enumerable.Repeat(label, Math.Min(PerPage, count - p * PerPage))}</section>"));
        return H($"""
            <!DOCTYPE html>
            <html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{(en ? "Labels" : "Tem")} {lot.LotNumber} · {name}</title>
            <link rel="stylesheet" href="{Assets.LabelsCss}"><script src="{Assets.Script}" defer></script></head>
            <body><main>
            <h1 class="screen">{(en ? "Label sheet" : "Tờ tem")}: {name} · {lot.LotNumber} · {count}</h1>
            <p class="screen">{link}</p>
            <p class="screen"><button type="button" id="print" hidden>{(en ? "Print" : "In")}</button></p>
            <svg width="0" height="0" aria-hidden="true" class="defs"><symbol id="qr" viewBox="{Raw(QrSymbol(link))}</symbol></svg>
            {pages}
            </main></body></html>
            """).Value;
    }

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
