namespace Traceability.Testing;

/// <summary>
/// Draws QRCoder's SVG as a PNG. ImageMagick's own SVG renderer strokes QRCoder's path into blobs;
/// the SVG is one path of 1-module-high runs ("M{x} {y}h{w}v1h-{w}z"), so the runs are drawn here.
/// Linked into the test projects that decode SVG labels (tests/Shared).
/// </summary>
public static class QrSvg
{
    public static byte[] Rasterise(string svg, int pixelsPerModule)
    {
        var viewBox = System.Text.RegularExpressions.Regex.Match(svg, "viewBox=\"0 0 (\\d+) (\\d+)\"");
        Assert.True(viewBox.Success, "the SVG has a module viewBox");
        var modules = int.Parse(viewBox.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var side = modules * pixelsPerModule;
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.L8>(side, side, new SixLabors.ImageSharp.PixelFormats.L8(255));
        var runs = System.Text.RegularExpressions.Regex.Matches(svg, "M(\\d+) (\\d+)h(\\d+)v1h-\\d+z");
        Assert.NotEmpty(runs);
        foreach (System.Text.RegularExpressions.Match run in runs)
        {
            var (x, y, w) = (int.Parse(run.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(run.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(run.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
            for (var py = y * pixelsPerModule; py < (y + 1) * pixelsPerModule; py++)
                for (var px = x * pixelsPerModule; px < (x + w) * pixelsPerModule; px++)
                    image[px, py] = new SixLabors.ImageSharp.PixelFormats.L8(0);
        }
        using var png = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, png);
        return png.ToArray();
    }
}
