using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Traceability.Lookup.Api;
using Traceability.Lookup.Api.Qr;
using ZXing;
using ZXing.Common;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 17 item 6: the service's QR decoder beside the OpenCV decoder it replaced, on the same
/// 120 photo-like images (<see cref="QrImageSet"/>), in this process, one image at a time.
/// Issue 16: the host's peak resident set while image bombs arrive 4 at a time, and while 4
/// photos just under <c>Lookup:MaxDecodePixels</c> do.
/// </summary>
internal static class QrScenario
{
    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var rows = new List<Row>();
        rows.AddRange(await DecodersAsync(context));
        rows.AddRange(await BombsAsync(context));
        return rows;
    }

    public static async Task<IReadOnlyList<Row>> DecodersAsync(ScenarioContext context)
    {
        Console.WriteLine("   making the degraded images with ImageMagick …");
        var samples = await QrImageSet.MakeAsync();
        var service = new QrDecoder(Options.Create(new LookupOptions()));
        var decoders = new List<(string Name, Func<byte[], string?> Decode)>
        {
            ("ZXing, the service's decoder", b => Count(service.Decode(b))),
            ("ZXing, one pass (HybridBinarizer, TryHarder, AutoRotate)", OnePass),
        };
        using var opencv = OpenCvBaseline.TryCreate(out var why);
        if (opencv is null) Console.WriteLine($"   OpenCV baseline skipped: {why}");
        else decoders.Add(("OpenCV (WeChatQRCode + QRCodeDetector, the decoder before)", opencv.Decode));

        var results = new List<(string Name, Dictionary<string, int> Decoded, double MsPerImage)>();
        foreach (var (name, decode) in decoders)
        {
            decode(samples[0].Bytes); // JIT, native library load
            var decoded = QrImageSet.Kinds.ToDictionary(k => k, _ => 0);
            var clock = Stopwatch.StartNew();
            foreach (var sample in samples)
                if (decode(sample.Bytes) == sample.Text) decoded[sample.Kind]++;
            var ms = clock.Elapsed.TotalMilliseconds / samples.Count;
            results.Add((name, decoded, ms));
            Console.WriteLine($"   {name}: {decoded.Values.Sum()}/{samples.Count} ({string.Join(", ", decoded.Select(d => $"{d.Key} {d.Value}"))}), {ms:F1} ms per image");
        }

        Console.WriteLine($"   the service's decoder, decoded by pass (warm-up included): {string.Join(", ", passes.Select(p => $"{p.Key} {p.Value}"))}");
        var rows = new List<Row>();
        var (_, baseline, baselineMs) = results.Count > 2 ? results[2] : (results[0].Name, results[0].Decoded, results[0].MsPerImage);
        var baselineName = results.Count > 2 ? "OpenCV, same images" : "(OpenCV not loaded) itself";
        foreach (var (name, decoded, ms) in results.Take(2))
        {
            rows.Add(new Row("qr", $"{name}: decoded, {samples.Count} photo-like images (6 kinds × 20)", decoded.Values.Sum(), "images",
                baselineName, baseline.Values.Sum(), "not clearly below OpenCV"));
            rows.Add(new Row("qr", $"{name}: time per image", ms, "ms", baselineName, baselineMs, "report"));
        }
        foreach (var kind in QrImageSet.Kinds)
            rows.Add(new Row("qr", $"the service's decoder, {kind} (of {QrImageSet.PerKind})", results[0].Decoded[kind], "images",
                baselineName, baseline[kind], "report"));
        return rows;
    }

    private static readonly Dictionary<string, int> passes = [];

    private static string? Count(QrDecodeResult result)
    {
        if (result.Pass is { } pass) passes[pass] = passes.GetValueOrDefault(pass) + 1;
        return result.Text;
    }

    /// <summary>ZXing in its usual one-pass setup: 8-bit luminance, HybridBinarizer, TryHarder, AutoRotate, QR only.</summary>
    private static string? OnePass(byte[] bytes)
    {
        using var image = Image.Load<L8>(bytes);
        var pixels = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new DecodingOptions { TryHarder = true, PossibleFormats = [BarcodeFormat.QR_CODE] },
        };
        return reader.Decode(new RGBLuminanceSource(pixels, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
    }

    public static async Task<IReadOnlyList<Row>> BombsAsync(ScenarioContext context)
    {
        var rounds = context.Quick ? 2 : 5;
        var bomb = ImageBomb.Png(30_000, 30_000);
        var rows = new List<Row>();
        using (var host = await HostProcess.StartAsync(context.Provider))
        {
            var empty = host.PeakWorkingSetBytes();
            var (statuses, slowest) = await SendAsync(host, bomb, "image/png", rounds);
            var peak = host.PeakWorkingSetBytes();
            Console.WriteLine($"   bombs: {statuses}, slowest {slowest:F0} ms, peak RSS {peak / 1048576.0:F0} MB");
            rows.Add(new Row("qr-bomb", $"host peak RSS, 4 concurrent 30,000 × 30,000 PNG bombs ({bomb.Length / 1024} KB each) × {rounds} rounds ({statuses})",
                peak / 1048576.0, "MB", "peak RSS of the started host", empty / 1048576.0, "< 1,024 MB"));
            rows.Add(new Row("qr-bomb", "slowest answer to a bomb", slowest, "ms", "–", 0, "well under 1 s"));
        }

        Console.WriteLine("   making a 6,000 × 6,000 photo (36 Mpx, under the 40 Mpx limit) …");
        var photo = LargePhoto();
        using (var host = await HostProcess.StartAsync(context.Provider))
        {
            var empty = host.PeakWorkingSetBytes();
            var (statuses, slowest) = await SendAsync(host, photo, "image/jpeg", rounds);
            var peak = host.PeakWorkingSetBytes();
            Console.WriteLine($"   36 Mpx photos: {statuses}, slowest {slowest:F0} ms, peak RSS {peak / 1048576.0:F0} MB");
            rows.Add(new Row("qr-bomb", $"host peak RSS, 4 concurrent 36 Mpx JPEG photos ({photo.Length / 1024} KB each) × {rounds} rounds ({statuses})",
                peak / 1048576.0, "MB", "peak RSS of the started host", empty / 1048576.0, "< 1,024 MB"));
            rows.Add(new Row("qr-bomb", "slowest answer to a 36 Mpx photo", slowest, "ms", "–", 0, "report"));
        }
        return rows;
    }

    /// <summary>Rounds of 4 uploads at once; the answers' statuses counted, and the slowest answer.</summary>
    private static async Task<(string Statuses, double SlowestMs)> SendAsync(HostProcess host, byte[] image, string type, int rounds)
    {
        using var client = host.Client(key: null);
        var statuses = new List<HttpStatusCode>();
        double slowest = 0;
        for (var r = 0; r < rounds; r++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                using var content = new ByteArrayContent(image);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
                var clock = Stopwatch.StartNew();
                using var response = await client.PostAsync("/api/v1/qr/decode", content);
                await response.Content.LoadIntoBufferAsync();
                return (response.StatusCode, clock.Elapsed.TotalMilliseconds);
            }));
            statuses.AddRange(answers.Select(a => a.StatusCode));
            slowest = Math.Max(slowest, answers.Max(a => a.TotalMilliseconds));
        }
        return (string.Join(", ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}")), slowest);
    }

    /// <summary>
    /// A 6,000 × 6,000 photo-like JPEG with a label in it: what a 36 Mpx camera sends. Drawn here
    /// (ImageMagick's noise over 36 Mpx takes minutes on a busy 2-core machine).
    /// </summary>
    private static byte[] LargePhoto()
    {
        const int side = 6000;
        using var label = Image.Load<L8>(QrImages.Png("https://truyxuat.example.vn/01/08930000000014/10/L0001-2026", 1200));
        using var photo = new Image<L8>(side, side);
        var random = new Random(17);
        photo.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < side; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < side; x++)
                {
                    var (lx, ly) = (x - 2400, y - 2400);
                    var paper = lx >= 0 && ly >= 0 && lx < label.Width && ly < label.Height ? label[lx, ly].PackedValue : (byte)190;
                    row[x] = new L8((byte)Math.Clamp(paper + random.Next(-24, 25), 0, 255));
                }
            }
        });
        using var jpeg = new MemoryStream();
        photo.SaveAsJpeg(jpeg, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 85 });
        return jpeg.ToArray();
    }
}
