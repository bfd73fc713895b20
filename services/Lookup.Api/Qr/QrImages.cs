using QRCoder;

namespace Traceability.Lookup.Api.Qr;

public static class QrImages
{
    // QRCoder draws the 4-module quiet zone the standard asks for; size is the whole image.
    public static byte[] Png(string text, int size)
    {
        using var data = Create(text);
        var modules = data.ModuleMatrix.Count; // includes the quiet zone
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(Math.Max(1, size / modules));
    }

    public static string Svg(string text, int size)
    {
        using var data = Create(text);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(new System.Drawing.Size(size, size));
    }

    private static QRCodeData Create(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QrApi.EccLevel);
    }
}
