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
/// A printable A4 sheet of labels, 18 per page. Lot labels repeat one QR code (the lot's canonical
/// Digital Link on the public base URL, what <c>/qr/01/…</c> encodes); signed labels carry one
/// serialised, signed link each, which an inspector's phone verifies offline. Each distinct code
/// is drawn once as an SVG symbol that its labels use, so 1,000 lot labels stay small.
/// </summary>
public sealed class LabelSheet
{
    public const int MaxCount = 1000;
    private const int PerPage = 18; // 3 × 6 labels of 70 × 49.5 mm

    public static string Link(Lot lot, string baseUrl) => new DigitalLink(Gtin.Parse(lot.Gtin), Lot: lot.LotNumber).ToUri(baseUrl);

    /// <summary><paramref name="count"/> labels of the lot's own code.</summary>
    public string Render(Product product, Lot lot, int count, string baseUrl, string lang) =>
        Render(product, lot, Enumerable.Repeat(Link(lot, baseUrl), count).ToList(), lang);

    /// <summary>One label per link, in order (signed serialised labels: one link each).</summary>
    public string Render(Product product, Lot lot, IReadOnlyList<string> links, string lang)
    {
        var en = lang == "en";
        var name = product.Name.For(lang);
        var expiry = lot.ExpiryDate?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var symbols = links.Distinct().Select((link, i) => (link, id: i == 0 ? "qr" : $"qr-{i}")).ToDictionary(x => x.link, x => x.id);
        // Each link's serial, read once: it is printed under its label and says whether the sheet is signed.
        var serials = links.Select(link => DigitalLink.TryParse(link, out var parsed, out _) ? parsed.Serial : null).ToList();
        var signed = serials.Count > 0 && serials[0] is not null;
        var labels = links.Zip(serials, (link, serial) =>
        {
            return H($"""
                <div class="label"><svg class="qr" role="img" aria-label="{(en ? "QR code" : "Mã QR")} {link}"><use href="#{symbols[link]}"/></svg>
                <p class="name">{name}</p><p>{(en ? "Lot" : "Lô")}: {lot.LotNumber}</p>{When(serial is not null, H($"<p>{(en ? "Serial" : "Số sê-ri")}: {serial}</p>"))}{When(expiry is not null, H($"<p>{(en ? "Exp." : "HSD")}: {expiry}</p>"))}</div>
                """);
        }).ToList();
        var pages = labels.Chunk(PerPage).Select(page => H($"<section class=\"sheet\">{page}</section>"));
        var defs = symbols.Select(s => H($"<symbol id=\"{s.Value}\" viewBox=\"{Raw(QrSymbol(s.Key))}</symbol>"));
        return H($"""
            <!DOCTYPE html>
            <html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{(en ? "Labels" : "Tem")} {lot.LotNumber} · {name}</title>
            <link rel="stylesheet" href="{Assets.LabelsCss}"><script src="{Assets.Script}" defer></script></head>
            <body><main>
            <h1 class="screen">{(en ? "Label sheet" : "Tờ tem")}: {name} · {lot.LotNumber} · {labels.Count}</h1>
            <p class="screen">{(signed
                ? (en ? "Signed serialised labels: each code is verified offline by an inspector's app; print each label once."
                      : "Tem có số sê-ri và chữ ký số: ứng dụng của cán bộ kiểm tra xác thực từng mã cả khi không có mạng; mỗi tem chỉ in một lần.")
                : links.FirstOrDefault())}</p>
            <p class="screen"><button type="button" id="print" hidden>{(en ? "Print" : "In")}</button></p>
            <svg width="0" height="0" aria-hidden="true" class="defs">{defs}</svg>
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
